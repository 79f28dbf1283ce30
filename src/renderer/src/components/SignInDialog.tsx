import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/domain';
import { kindForms, type SignInInput } from '../../../shared/kinds';
import { api } from '../api';
import { errorMeaning } from '../lib/errors';
import { DialogFooter } from './DialogFooter';
import { Modal } from './Modal';
import { KindFields, kindInput, missingFields } from './KindFields';
import { SiteSignInButton, useSiteSignInOffered } from './SiteSignInButton';

export function SignInDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t } = useTranslation();
  const form = kindForms[account.kind];
  const fields = form?.signIn ?? [];
  const siteSignIn = useSiteSignInOffered(form);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'form' | 'window' | null>(null);
  /** `signInWindow`: the site's own sign-in page in the desktop app's window instead of the fields. */
  const submit = async (event: FormEvent | null, signInWindow = false) => {
    event?.preventDefault();
    setBusy(signInWindow ? 'window' : 'form');
    setError(null);
    try {
      const input = { ...kindInput(account.kind, fields, values), accountId: account.id, ...(signInWindow ? { signInWindow: true } : {}) };
      // The core checks the input against the kind's schema (src/shared/kinds).
      await api().invoke('accounts.signIn', input as unknown as SignInInput);
      onClose();
    } catch (e) {
      setError(`${errorMeaning(e, t)} ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Modal label={t('signIn.title', { name: account.name })} onClose={onClose} closeOnBackdrop={false}>
      <form className="dialog-form" onSubmit={submit}>
        <h2>{t('signIn.title', { name: account.name })}</h2>
        <p className="muted">{t('signIn.text')}</p>
        {siteSignIn && <SiteSignInButton waiting={busy === 'window'} disabled={busy !== null} onClick={() => void submit(null, true)} />}
        <KindFields fields={fields} values={values} onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))} autoFocus={!siteSignIn} />
        <DialogFooter error={error} onCancel={onClose} submitLabel={t('actions.signIn')} submitDisabled={busy !== null || missingFields(fields, values).length > 0} />
      </form>
    </Modal>
  );
}
