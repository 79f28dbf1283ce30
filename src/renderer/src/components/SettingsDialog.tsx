import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NotificationDecision } from '../../../shared/attention';
import type { Settings, SettingsPatch } from '../../../shared/settings';
import { api } from '../api';
import { useApiEvent } from '../hooks/useApiEvent';
import { errorMeaning } from '../lib/errors';
import { playSound, soundIds } from '../lib/sounds';
import { Modal } from './Modal';
import { useNotices } from './Notices';
import { SavedRepliesSettings } from './SavedRepliesSettings';
import { InlineError } from './InlineError';

interface Props {
  settings: Settings;
  mode: 'electron' | 'web' | null;
  onSettings: (patch: SettingsPatch) => void;
  onClose: () => void;
}

const REPEAT_CHOICES = [0, 30, 60, 120, 300];

function browserPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Notifications, sound, quiet hours, the app's own behaviour, and the log of every decision. */
export function SettingsDialog({ settings, mode, onSettings, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const n = settings.notifications;
  const { run } = useNotices();
  const [log, setLog] = useState<NotificationDecision[]>([]);
  const [logError, setLogError] = useState<string | null>(null);
  const [logAttempt, setLogAttempt] = useState(0);
  const [testResult, setTestResult] = useState<string | null>(null);
  const [permission, setPermission] = useState(browserPermission);
  const notify = (patch: NonNullable<SettingsPatch['notifications']>) => onSettings({ notifications: patch });

  useEffect(() => {
    void api()
      .invoke('notifications.log', { limit: 100 })
      .then((entries) => {
        setLog(entries);
        setLogError(null);
      })
      .catch((e: unknown) => setLogError(`${t('notifications.logFailed')} ${errorMeaning(e, t)}`));
  }, [logAttempt, t]);
  // A coalesced entry (repeated reminder sounds) comes again with the same id, updated.
  useApiEvent('notifications.decision', (d) =>
    setLog((current) => (d.id !== undefined && current.some((c) => c.id === d.id) ? current.map((c) => (c.id === d.id ? d : c)) : [d, ...current].slice(0, 100))),
  );

  const reason = (d: NotificationDecision) => t(`notifications.reason.${d.reason}`, { defaultValue: d.reason });
  const kind = (d: NotificationDecision) => t(`notifications.kind.${d.kind}`, { defaultValue: d.kind });

  const sendTest = async () => {
    if (mode === 'web' && permission === 'default') setPermission(await Notification.requestPermission());
    try {
      const decision = await api().invoke('notifications.test');
      setTestResult(decision.shown ? t('notifications.testShown') : t('notifications.testSuppressed', { reason: reason(decision) }));
    } catch (e) {
      setTestResult(`${errorMeaning(e, t)} ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <Modal label={t('settings.title')} onClose={onClose} className="settings-dialog">
        <h2>{t('settings.title')}</h2>
        <div className="settings-body">
          <section aria-labelledby="settings-notifications">
            <h3 id="settings-notifications">{t('notifications.title')}</h3>
            <label className="check">
              <input type="checkbox" checked={n.enabled} onChange={(e) => notify({ enabled: e.target.checked })} />
              {t('notifications.enabled')}
            </label>
            <label className="check">
              <input type="checkbox" checked={settings.doNotDisturb} onChange={(e) => onSettings({ doNotDisturb: e.target.checked })} />
              {t('notifications.doNotDisturb')}
            </label>
            <div className="row">
              <SoundChoice label={t('notifications.sound')} value={n.sound} volume={n.volume} onChange={(sound) => notify({ sound })} />
              <label>
                {t('notifications.volume')}
                <input
                  type="range"
                  min={0}
                  max={100}
                  step={5}
                  value={Math.round(n.volume * 100)}
                  onChange={(e) => notify({ volume: Number(e.target.value) / 100 })}
                  aria-valuetext={`${Math.round(n.volume * 100)}%`}
                />
              </label>
            </div>
            {/* When an agent finishes, fails or gets stuck (agent accounts): its own sound. */}
            <div className="row">
              <SoundChoice label={t('notifications.agentSound')} playLabel={t('notifications.playAgent')} value={n.agentSound} volume={n.volume} onChange={(agentSound) => notify({ agentSound })} />
            </div>
            <label>
              {t('notifications.repeat')}
              <select aria-label={t('notifications.repeat')} value={n.repeatSeconds} onChange={(e) => notify({ repeatSeconds: Number(e.target.value) })}>
                {REPEAT_CHOICES.map((s) => (
                  <option key={s} value={s}>
                    {s === 0 ? t('notifications.repeatNever') : s < 60 ? t('notifications.repeatSeconds', { count: s }) : t('notifications.repeatMinutes', { count: s / 60 })}
                  </option>
                ))}
              </select>
            </label>
            <div className="row">
              <label className="check">
                <input type="checkbox" checked={n.quietHours.enabled} onChange={(e) => notify({ quietHours: { enabled: e.target.checked } })} />
                {t('notifications.quietHours')}
              </label>
              <label>
                {t('notifications.from')}
                <input type="time" aria-label={t('notifications.quietFrom')} value={n.quietHours.start} onChange={(e) => e.target.value && notify({ quietHours: { start: e.target.value } })} />
              </label>
              <label>
                {t('notifications.to')}
                <input type="time" aria-label={t('notifications.quietTo')} value={n.quietHours.end} onChange={(e) => e.target.value && notify({ quietHours: { end: e.target.value } })} />
              </label>
            </div>
            <p className="muted small-hint">{t('notifications.rulesHint')}</p>
            {mode === 'web' && permission !== 'granted' && (
              <p className="form-error">{permission === 'denied' ? t('notifications.browserDenied') : t('notifications.browserAsk')}</p>
            )}
            <div className="row">
              <button type="button" onClick={() => void sendTest()}>
                {t('notifications.test')}
              </button>
              {testResult && (
                <span role="status" className="muted">
                  {testResult}
                </span>
              )}
            </div>
          </section>

          <SavedRepliesSettings />

          {mode === 'electron' && (
            <section aria-labelledby="settings-app">
              <h3 id="settings-app">{t('settings.app')}</h3>
              <label className="check">
                <input type="checkbox" checked={settings.closeToTray} onChange={(e) => onSettings({ closeToTray: e.target.checked })} />
                {t('settings.closeToTray')}
              </label>
              <label className="check">
                <input type="checkbox" checked={settings.startAtLogin} onChange={(e) => onSettings({ startAtLogin: e.target.checked })} />
                {t('settings.startAtLogin')}
              </label>
            </section>
          )}

          <section aria-labelledby="settings-log">
            <div className="row spread">
              <h3 id="settings-log">{t('notifications.log')}</h3>
              <button
                type="button"
                onClick={() =>
                  void run(t('notice.clearLog'), async () => {
                    await api().invoke('notifications.clearLog');
                    setLog([]);
                  })
                }
                disabled={log.length === 0}
              >
                {t('notifications.clearLog')}
              </button>
            </div>
            {logError && <InlineError text={logError} onRetry={() => setLogAttempt((n) => n + 1)} />}
            {log.length === 0 ? (
              <p className="muted">{t('notifications.logEmpty')}</p>
            ) : (
              <table className="decision-log" aria-label={t('notifications.log')}>
                <thead>
                  <tr>
                    <th>{t('notifications.when')}</th>
                    <th>{t('notifications.what')}</th>
                    <th>{t('notifications.outcome')}</th>
                  </tr>
                </thead>
                <tbody>
                  {log.map((d, i) => (
                    <tr key={d.id ?? `${d.at}-${i}`} className={d.shown ? 'shown' : 'suppressed'}>
                      <td>{new Date(d.at).toLocaleTimeString(i18n.language)}</td>
                      <td>
                        {kind(d)}
                        {d.conversationId !== null ? ` · #${d.conversationId}` : ''}
                      </td>
                      <td>
                        {d.shown ? t('notifications.shown') : t('notifications.suppressed', { reason: reason(d) })}
                        {d.sound ? ` · ${t('notifications.withSound')}` : ''}
                        {d.silencedBy ? ` · ${t('notifications.silencedBy', { reason: t(`notifications.reason.${d.silencedBy}`, { defaultValue: d.silencedBy }) })}` : ''}
                        {d.count && d.count > 1 ? ` ×${d.count}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-autofocus>
          {t('actions.done')}
        </button>
      </div>
    </Modal>
  );
}

type SoundSetting = Settings['notifications']['sound'];

/** A sound picker with its Play button (the visitor sound, the Agent sound). */
function SoundChoice({ label, playLabel, value, volume, onChange }: { label: string; playLabel?: string; value: SoundSetting; volume: number; onChange: (sound: SoundSetting) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {label}
        <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as SoundSetting)}>
          {soundIds.map((id) => (
            <option key={id} value={id}>
              {t(`notifications.sounds.${id}`, { defaultValue: id })}
            </option>
          ))}
          <option value="none">{t('notifications.sounds.none')}</option>
        </select>
      </label>
      <button type="button" aria-label={playLabel} onClick={() => playSound(value, volume)} disabled={value === 'none'}>
        {t('notifications.play')}
      </button>
    </>
  );
}
