import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/domain';
import { api } from '../api';
import { errorMeaning } from '../lib/errors';
import { Modal } from './Modal';

export function SignInDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await api().invoke('accounts.signIn', { accountId: account.id, email, password });
      onClose();
    } catch (e) {
      setError(`${errorMeaning(e, t)} ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal label={t('signIn.title', { name: account.name })} onClose={onClose} closeOnBackdrop={false}>
      <form className="dialog-form" onSubmit={submit}>
        <h2>{t('signIn.title', { name: account.name })}</h2>
        <p className="muted">{t('signIn.text')}</p>
        <label>
          {t('firstRun.email')}
          <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} data-autofocus />
        </label>
        <label>
          {t('firstRun.password')}
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('actions.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || !email || !password}>
            {t('actions.signIn')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
