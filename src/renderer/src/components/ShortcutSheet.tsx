import { useTranslation } from 'react-i18next';
import { Modal } from './Modal';

const keys: [string, string][] = [
  ['j / ↓', 'keys.next'],
  ['k / ↑', 'keys.previous'],
  ['Home / End', 'keys.firstLast'],
  ['Enter', 'keys.open'],
  ['r', 'keys.reply'],
  ['/', 'keys.savedReply'],
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
    <Modal label={t('keys.title')} onClose={onClose}>
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
      <button type="button" onClick={onClose} data-autofocus>
        {t('actions.done')}
      </button>
    </Modal>
  );
}
