import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, ConversationSummary } from '../../../shared/domain';
import { api } from '../api';
import { displayText } from '../lib/names';
import { errorMeaning, logFailure } from '../lib/errors';
import { DialogFooter } from './DialogFooter';
import { Modal } from './Modal';

export const MAX_FIRST_MESSAGE = 2000;

interface Props {
  /** Accounts whose capabilities have startConversations (at least one). */
  accounts: Account[];
  /** The account to offer first (the one the list shows, if it can start conversations). */
  preferredAccountId: number | null;
  onClose: () => void;
  onStarted: (conversation: ConversationSummary) => void;
}

/** "New conversation" for agent accounts: a model (one the account has used, or typed) and the first message. */
export function NewConversationDialog({ accounts, preferredAccountId, onClose, onStarted }: Props) {
  const { t } = useTranslation();
  const ids = { account: useId(), model: useId(), models: useId(), message: useId(), hint: useId() };
  const [accountId, setAccountId] = useState(() => accounts.find((a) => a.id === preferredAccountId)?.id ?? accounts[0]!.id);
  const [models, setModels] = useState<string[]>([]);
  const [model, setModel] = useState('');
  const [content, setContent] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    api()
      .invoke('accounts.models', { accountId })
      .then(
        (r) => {
          if (!current) return;
          setModels(r.models);
          // The most recent model is the likely choice; a typed one is kept.
          setModel((m) => m || r.models[0] || '');
        },
        (e: unknown) => logFailure('accounts.models', e),
      );
    return () => {
      current = false;
    };
  }, [accountId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = content.trim();
    if (!text || text.length > MAX_FIRST_MESSAGE || busy) return;
    setBusy(true);
    setError(null);
    try {
      const started = await api().invoke('conversations.start', { accountId, content: text, ...(model.trim() ? { model: model.trim() } : {}) });
      onStarted(started);
    } catch (e) {
      setError(`${t('newConversation.failed')} ${errorMeaning(e, t)} ${e instanceof Error ? e.message : String(e)}`);
      setBusy(false);
    }
  };

  return (
    <Modal label={t('newConversation.title')} onClose={onClose} closeOnBackdrop={false} className="new-conversation-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <h2>{t('newConversation.title')}</h2>
        {accounts.length > 1 && (
          <div className="field">
            <label htmlFor={ids.account}>{t('newConversation.account')}</label>
            <select id={ids.account} value={accountId} onChange={(e) => setAccountId(Number(e.target.value))} disabled={busy}>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {displayText(a.name)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={ids.model}>{t('newConversation.model')}</label>
          <input id={ids.model} list={ids.models} value={model} onChange={(e) => setModel(e.target.value)} maxLength={200} autoComplete="off" aria-describedby={ids.hint} disabled={busy} />
          <datalist id={ids.models}>
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <p className="muted small" id={ids.hint}>
            {t('newConversation.modelHint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor={ids.message}>{t('newConversation.message')}</label>
          <textarea
            id={ids.message}
            data-autofocus
            rows={5}
            value={content}
            placeholder={t('newConversation.messagePlaceholder')}
            onChange={(e) => setContent(e.target.value)}
            onKeyDown={(e) => {
              // Ctrl/⌘+Enter starts it, as a form's submit; Enter alone is a new line.
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(e);
            }}
            disabled={busy}
          />
          <span className={`counter${content.length > MAX_FIRST_MESSAGE ? ' over' : ''}`} aria-live="polite">
            {content.length}/{MAX_FIRST_MESSAGE}
          </span>
        </div>
        <DialogFooter error={error} onCancel={onClose} submitLabel={busy ? t('newConversation.starting') : t('newConversation.start')} submitDisabled={busy || !content.trim() || content.length > MAX_FIRST_MESSAGE} />
      </form>
    </Modal>
  );
}
