import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/domain';
import { kindForms, type SignInInput } from '../../../shared/kinds';
import { api } from '../api';
import { KindFields, kindInput, missingFields } from './KindFields';

export function SignInDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t } = useTranslation();
  const fields = kindForms[account.kind]?.signIn ?? [];
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const input = { ...kindInput(account.kind, fields, values), accountId: account.id };
      // The core checks the input against the kind's schema (src/shared/kinds).
      await api().invoke('accounts.signIn', input as unknown as SignInInput);
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="overlay" role="presentation">
      <form className="dialog" role="dialog" aria-modal="true" aria-label={t('signIn.title', { name: account.name })} onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <h2>{t('signIn.title', { name: account.name })}</h2>
        <p className="muted">{t('signIn.text')}</p>
        <KindFields fields={fields} values={values} onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))} autoFocus />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('actions.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || missingFields(fields, values).length > 0}>
            {t('actions.signIn')}
          </button>
        </div>
      </form>
    </div>
  );
}
