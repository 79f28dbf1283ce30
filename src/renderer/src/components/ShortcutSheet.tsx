import { useTranslation } from 'react-i18next';

const keys: [string, string][] = [
  ['j / ↓', 'keys.next'],
  ['k / ↑', 'keys.previous'],
  ['Enter', 'keys.open'],
  ['r', 'keys.reply'],
  ['e', 'keys.resolve'],
  ['c', 'keys.close'],
  ['Ctrl/⌘ K', 'keys.search'],
  ['Ctrl/⌘ ,', 'keys.settings'],
  ['Esc', 'keys.leave'],
  ['?', 'keys.help'],
];

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="overlay" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={t('keys.title')}>
        <h2>{t('keys.title')}</h2>
        <dl className="shortcuts">
          {keys.map(([key, label]) => (
            <div key={key}>
              <dt>
                <kbd>{key}</kbd>
              </dt>
              <dd>{t(label)}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={onClose} autoFocus>
          {t('actions.done')}
        </button>
      </div>
    </div>
  );
}
