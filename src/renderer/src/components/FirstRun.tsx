import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';

interface Props {
  onConnected: () => void;
  onCancel?: () => void;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function FirstRun({ onConnected, onCancel }: Props) {
  const { t } = useTranslation();
  const [siteUrl, setSiteUrl] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<'demo' | 'connect' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showForm, setShowForm] = useState(false);

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

  const connect = async (event: FormEvent) => {
    event.preventDefault();
    if (!siteUrl.trim() || !email.trim() || !password) {
      setError(t('firstRun.fillAll'));
      return;
    }
    setBusy('connect');
    setError(null);
    try {
      await api().invoke('accounts.connect', { kind: 'portfolio', siteUrl: siteUrl.trim(), email: email.trim(), password });
      onConnected();
    } catch (e) {
      setError(errorText(e));
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
                {t('firstRun.siteUrl')}
                <input type="url" inputMode="url" autoComplete="url" placeholder="https://example.com" value={siteUrl} onChange={(e) => setSiteUrl(e.target.value)} autoFocus />
              </label>
              <label>
                {t('firstRun.email')}
                <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
              </label>
              <label>
                {t('firstRun.password')}
                <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
              </label>
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
      {onCancel && (
        <button type="button" className="link" onClick={onCancel}>
          {t('actions.backToInbox')}
        </button>
      )}
    </main>
  );
}
