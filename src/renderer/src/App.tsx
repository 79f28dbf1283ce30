import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings, SettingsPatch } from '../../shared/settings';
import { api } from './api';
import { Inbox } from './components/Inbox';
import { NoticesProvider, useNotices } from './components/Notices';
import { MirrorRecoveryBanner } from './components/MirrorRecoveryBanner';
import { useAccounts } from './hooks/useAccounts';
import { useApiEvent } from './hooks/useApiEvent';
import { useTransportConnected } from './hooks/useTransportConnected';
import { systemLanguage } from './i18n';
import { errorText } from './lib/errors';

// Shown once per account added: loaded when needed, with the connection forms' schemas (zod).
const FirstRun = lazy(() => import('./components/FirstRun').then((m) => ({ default: m.FirstRun })));

export function App() {
  return (
    <NoticesProvider>
      <Screens />
    </NoticesProvider>
  );
}

function Screens() {
  const { t, i18n } = useTranslation();
  const { run } = useNotices();
  const { accounts, error, outbox, progress, reload } = useAccounts();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [adding, setAdding] = useState(false);
  const [settingsError, setSettingsError] = useState<string | null>(null);
  const connected = useTransportConnected();
  const wasConnected = useRef(connected);
  // Back after a loss: reload what was never pushed meanwhile.
  useEffect(() => {
    if (connected && !wasConnected.current) void reload();
    wasConnected.current = connected;
  }, [connected, reload]);

  const loadSettings = useCallback(() => {
    void api()
      .invoke('settings.get')
      .then((s) => {
        setSettings(s);
        setSettingsError(null);
      })
      .catch((e: unknown) => setSettingsError(errorText(e)));
  }, []);
  useEffect(loadSettings, [loadSettings]);
  useApiEvent('settings.changed', setSettings);

  // Theme and language follow the OS unless the user chose one.
  useEffect(() => {
    const theme = settings?.theme ?? 'system';
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    const language = !settings || settings.language === 'system' ? systemLanguage() : settings.language;
    if (i18n.language !== language) void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [settings, i18n]);

  const updateSettings = useCallback(
    (patch: SettingsPatch) => void run(t('notice.saveSettings'), async () => setSettings(await api().invoke('settings.update', patch))),
    [run, t],
  );

  if (error && accounts === null) {
    return (
      <div className="banner error" role="alert">
        <span>{t('error.load', { message: error })}</span>
        <button type="button" onClick={() => void reload()}>
          {t('error.retry')}
        </button>
      </div>
    );
  }
  if (accounts === null) return <p className="muted center">{t('pane.loading')}</p>;
  return (
    <div className="app-shell">
      <MirrorRecoveryBanner />
      {settingsError && (
        <div className="banner error" role="alert">
          <span>{t('error.settings', { message: settingsError })}</span>
          <button type="button" onClick={loadSettings}>
            {t('error.retry')}
          </button>
        </div>
      )}
      {accounts.length === 0 || adding ? (
        <Suspense fallback={<p className="muted center">{t('pane.loading')}</p>}>
          <FirstRun
            onConnected={() => {
              setAdding(false);
              void reload();
            }}
            {...(accounts.length > 0 ? { onCancel: () => setAdding(false) } : {})}
          />
        </Suspense>
      ) : (
        <Inbox accounts={accounts} connected={connected} outbox={outbox} progress={progress} settings={settings} onSettings={updateSettings} onAddAccount={() => setAdding(true)} />
      )}
    </div>
  );
}
