import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings, SettingsPatch } from '../../shared/settings';
import { api } from './api';
import { FirstRun } from './components/FirstRun';
import { Inbox } from './components/Inbox';
import { MirrorRecoveryBanner } from './components/MirrorRecoveryBanner';
import { useAccounts } from './hooks/useAccounts';
import { useApiEvent } from './hooks/useApiEvent';
import { useTransportConnected } from './hooks/useTransportConnected';
import { systemLanguage } from './i18n';

export function App() {
  const { t, i18n } = useTranslation();
  const { accounts, error, outbox, progress, reload } = useAccounts();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [adding, setAdding] = useState(false);
  const connected = useTransportConnected();
  const wasConnected = useRef(connected);
  // Back after a loss: reload what was never pushed meanwhile.
  useEffect(() => {
    if (connected && !wasConnected.current) void reload();
    wasConnected.current = connected;
  }, [connected, reload]);

  useEffect(() => {
    void api()
      .invoke('settings.get')
      .then(setSettings)
      .catch(() => {});
  }, []);
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

  const updateSettings = useCallback((patch: SettingsPatch) => {
    void api()
      .invoke('settings.update', patch)
      .then(setSettings)
      .catch(() => {});
  }, []);

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
      {accounts.length === 0 || adding ? (
        <FirstRun
          onConnected={() => {
            setAdding(false);
            void reload();
          }}
          {...(accounts.length > 0 ? { onCancel: () => setAdding(false) } : {})}
        />
      ) : (
        <Inbox accounts={accounts} connected={connected} outbox={outbox} progress={progress} settings={settings} onSettings={updateSettings} onAddAccount={() => setAdding(true)} />
      )}
    </div>
  );
}
