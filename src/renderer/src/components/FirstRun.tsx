import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountKind } from '../../../shared/domain';
import { kindForms, type ConnectInput } from '../../../shared/kinds';
import { ConsoleError } from '../../../shared/errors';
import { api } from '../api';
import { KindFields, kindInput, missingFields } from './KindFields';
import { SiteSignInButton, useSiteSignInOffered } from './SiteSignInButton';

const offeredKinds = Object.keys(kindForms) as AccountKind[];

interface Props {
  onConnected: () => void;
  onCancel?: () => void;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function FirstRun({ onConnected, onCancel }: Props) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<AccountKind>(offeredKinds[0] ?? 'portfolio');
  const [values, setValues] = useState<Record<string, string>>({});
  const form = kindForms[kind];
  const [busy, setBusy] = useState<'demo' | 'connect' | 'window' | null>(null);
  const siteSignIn = useSiteSignInOffered(form);
  const [error, setError] = useState<string | null>(null);
  const [showForm, setShowForm] = useState(false);

  const onField = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }));

  const startDemo = async () => {
    setBusy('demo');
    setError(null);
    try {
      await api().invoke('demo.start');
      onConnected();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  // A plain http:// site off this computer: the core refuses until the user confirms (code 'insecure').
  const [insecure, setInsecure] = useState<{ message: string; signInWindow: boolean } | null>(null);

  /** `signInWindow`: the site's own sign-in page in the desktop app's window instead of the pasted fields. */
  const connect = async (event: FormEvent | null, allowInsecure = false, signInWindow = false) => {
    event?.preventDefault();
    if (!form) return;
    const missing = missingFields(form.connect, values);
    if (missing.length) {
      setError(t('firstRun.fillAll', { fields: missing.map((f) => t(f.label)).join(', ') }));
      return;
    }
    setBusy(signInWindow ? 'window' : 'connect');
    setError(null);
    setInsecure(null);
    try {
      // The core checks the input against the kind's schema (src/shared/kinds).
      const input = { ...kindInput(kind, form.connect, values), ...(allowInsecure ? { allowInsecure: true } : {}), ...(signInWindow ? { signInWindow: true } : {}) };
      await api().invoke('accounts.connect', input as unknown as ConnectInput);
      onConnected();
    } catch (e) {
      if (e instanceof ConsoleError && e.code === 'insecure') setInsecure({ message: e.message, signInWindow });
      else if (e instanceof ConsoleError && e.code === 'cancelled') setError(t('siteSignIn.cancelled'));
      else setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <main className="first-run">
      <h1>{t('firstRun.title')}</h1>
      <p className="muted">{t('firstRun.intro')}</p>
      <div className="choices">
        <section className="choice">
          <h2>{t('firstRun.connectTitle')}</h2>
          <p className="muted">{t('firstRun.connectText')}</p>
          {!showForm ? (
            <button type="button" className="primary" onClick={() => setShowForm(true)}>
              {t('firstRun.connectYourSite')}
            </button>
          ) : (
            <form onSubmit={connect} className="connect-form" aria-label={t('firstRun.connectYourSite')}>
              <label>
                {t('firstRun.backend')}
                <select value={kind} onChange={(e) => setKind(e.target.value as AccountKind)}>
                  {offeredKinds.map((k) => (
                    <option key={k} value={k}>
                      {t(kindForms[k]!.label)}
                    </option>
                  ))}
                </select>
              </label>
              {form && <p className="muted small">{t(form.description)}</p>}
              {form && siteSignIn ? (
                <>
                  {/* The Site URL first, then the site's own sign-in page, then signing in by hand. */}
                  <KindFields fields={form.connect.filter((f) => f.name === 'siteUrl')} values={values} onChange={onField} autoFocus />
                  <SiteSignInButton waiting={busy === 'window'} disabled={busy !== null} onClick={() => void connect(null, false, true)} />
                  <KindFields fields={form.connect.filter((f) => f.name !== 'siteUrl')} values={values} onChange={onField} />
                </>
              ) : (
                form && <KindFields fields={form.connect} values={values} onChange={onField} autoFocus />
              )}
              <button type="submit" className="primary" disabled={busy !== null}>
                {busy === 'connect' ? t('firstRun.connecting') : t('firstRun.connect')}
              </button>
            </form>
          )}
        </section>
        <section className="choice">
          <h2>{t('firstRun.demoTitle')}</h2>
          <p className="muted">{t('firstRun.demoText')}</p>
          <button type="button" onClick={() => void startDemo()} disabled={busy !== null}>
            {busy === 'demo' ? t('firstRun.startingDemo') : t('firstRun.tryDemo')}
          </button>
        </section>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {insecure && (
        <div className="form-error" role="alert">
          <strong>{t('firstRun.insecureTitle')}</strong>
          <p>{insecure.message}</p>
          <button type="button" onClick={(e) => void connect(e, true, insecure.signInWindow)} disabled={busy !== null}>
            {t('firstRun.insecureConfirm')}
          </button>
        </div>
      )}
      {onCancel && (
        <button type="button" className="link" onClick={onCancel}>
          {t('actions.backToInbox')}
        </button>
      )}
    </main>
  );
}
