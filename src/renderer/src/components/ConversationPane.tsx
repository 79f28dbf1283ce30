import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationStatus, ConversationSummary } from '../../../shared/domain';
import { api } from '../api';
import { AiRepliesSwitch } from './AiRepliesSwitch';
import { useMessages } from '../hooks/useMessages';
import { errorMeaning, logFailure } from '../lib/errors';
import { useVisitorName } from '../lib/names';
import { AgentRunChip } from './AgentRunChip';
import { MessageWindow } from './MessageWindow';
import { PresenceDot } from './PresenceDot';
import { useNotices } from './Notices';
import { SavedReplyPicker, optionId, useSavedReplyPicker } from './SavedReplyPicker';

export const MAX_REPLY = 2000;

interface Props {
  conversation: ConversationSummary;
  visitorTyping: boolean;
  /** The site's AI auto-responder is writing. */
  aiTyping?: boolean;
  /** The site has an AI auto-responder: show its switch. */
  aiReplies?: boolean;
  draft: string;
  onDraft: (text: string) => void;
  onStatus: (status: ConversationStatus) => void;
  /** Leaves the conversation (Esc). */
  onLeave: () => void;
  replyRef: React.RefObject<HTMLTextAreaElement | null>;
  scrollToMessageId: number | null;
  /** False while the core is out of reach: the reply stays in the box, sending waits. */
  canSend: boolean;
  /** Browser mode confirms links in the page; the app confirms them in the main process. */
  confirmLinksInPage: boolean;
}

export function ConversationPane({ conversation, visitorTyping, aiTyping = false, aiReplies = false, draft, onDraft, onStatus, onLeave, replyRef, scrollToMessageId, canSend, confirmLinksInPage }: Props) {
  const { t, i18n } = useTranslation();
  const { run } = useNotices();
  // Counts the replies sent: each takes the window back to the newest row.
  const [sent, setSent] = useState(0);
  const typingSent = useRef<{ on: boolean; timer: ReturnType<typeof setTimeout> | null }>({ on: false, timer: null });
  const [sendError, setSendError] = useState<string | null>(null);

  // Seeing the conversation marks it read (and tells the visitor, where the backend supports it):
  // only while the window is visible and focused, never behind the owner's back. Checked again
  // whenever the number of messages changes (PaneMessages calls it).
  const markIfSeen = useRef(() => {});
  useEffect(() => {
    const mark = () => {
      if (conversation.unreadCount > 0 && document.visibilityState === 'visible' && document.hasFocus()) {
        void run(t('notice.markRead'), () => api().invoke('conversations.markRead', { conversationId: conversation.id }));
      }
    };
    markIfSeen.current = mark;
    mark();
    window.addEventListener('focus', mark);
    document.addEventListener('visibilitychange', mark);
    return () => {
      window.removeEventListener('focus', mark);
      document.removeEventListener('visibilitychange', mark);
    };
  }, [conversation.id, conversation.unreadCount, run, t]);
  const onMessageCount = useCallback(() => markIfSeen.current(), []);

  const setTyping = (on: boolean) => {
    const state = typingSent.current;
    if (state.timer) clearTimeout(state.timer);
    if (on) state.timer = setTimeout(() => setTyping(false), 3000);
    if (state.on === on) return;
    state.on = on;
    // A lost typing signal only hides a hint from the visitor: logged, not shown.
    void api()
      .invoke('typing.send', { conversationId: conversation.id, isTyping: on })
      .catch((e: unknown) => logFailure('typing.send', e));
  };

  const send = async () => {
    const content = draft.trim();
    if (!content || content.length > MAX_REPLY || !canSend) return;
    setSendError(null);
    setSent((n) => n + 1);
    onDraft('');
    setTyping(false);
    try {
      await api().invoke('messages.send', { conversationId: conversation.id, content, clientId: crypto.randomUUID() });
    } catch (e) {
      onDraft(content);
      setSendError(`${t('pane.sendFailed')} ${errorMeaning(e, t)} ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const picker = useSavedReplyPicker(draft, (text) => {
    onDraft(text);
    setTyping(text.length > 0);
  });
  const pickerId = `saved-replies-${conversation.id}`;
  const pickedOption = picker.open ? picker.items[picker.activeIndex] : undefined;

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (picker.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const visitorName = useVisitorName();
  const name = visitorName(conversation.visitorName);

  return (
    <section className="conversation-pane" aria-label={t('pane.label', { name })}>
      <header className="pane-header">
        <div>
          <h2 className="pane-title">{name}</h2>
          <span className={`chip chip-${conversation.status}`}>
            {t(`status.${conversation.status}`)}
            {conversation.statusIsLocal ? ` · ${t('pane.localStatus')}` : ''}
          </span>
          {conversation.visitorPresence ? (
            // A direct room's other member: online, away, busy or offline, as a dot and in words.
            <span className={`presence-text presence-text-${conversation.visitorPresence}`} data-testid="header-presence">
              <PresenceDot presence={conversation.visitorPresence} />
              {t(`presence.${conversation.visitorPresence}`)}
            </span>
          ) : (
            conversation.visitorOnline && <span className="online-text">{t('pane.online')}</span>
          )}
          {conversation.agentRun && <AgentRunChip run={conversation.agentRun} />}
        </div>
        <div className="actions">
          {aiReplies && <AiRepliesSwitch accountId={conversation.accountId} />}
          <button
            type="button"
            aria-pressed={conversation.muted}
            title={t('pane.muteHint')}
            onClick={() =>
              void run(t(conversation.muted ? 'notice.unmute' : 'notice.mute'), () => api().invoke('conversations.setMuted', { conversationId: conversation.id, muted: !conversation.muted }))
            }
          >
            {conversation.muted ? t('pane.unmute') : t('pane.mute')}
          </button>
          {conversation.status === 'active' ? (
            <>
              <button type="button" onClick={() => onStatus('resolved')} title={t('keys.resolve')}>
                {t('actions.resolve')}
              </button>
              <button type="button" onClick={() => onStatus('closed')} title={t('keys.close')}>
                {t('actions.close')}
              </button>
            </>
          ) : (
            <button type="button" onClick={() => onStatus('active')}>
              {t('actions.reopen')}
            </button>
          )}
        </div>
        <button type="button" className="icon-button pane-leave" aria-label={t('pane.leave')} title={`${t('pane.leave')} (Esc)`} onClick={onLeave}>
          ×
        </button>
      </header>
      <PaneMessages
        conversationId={conversation.id}
        onMessageCount={onMessageCount}
        label={t('pane.messages')}
        loadingText={t('pane.loading')}
        typing={visitorTyping || aiTyping ? t('pane.typing', { name: visitorTyping ? name : t('pane.assistant') }) : null}
        lang={i18n.language}
        confirmLinksInPage={confirmLinksInPage}
        visitor={conversation.visitorName}
        scrollToMessageId={scrollToMessageId}
        followTick={sent}
      />
      <footer className="composer">
        {sendError && (
          <p className="form-error" role="alert">
            {sendError}
          </p>
        )}
        <SavedReplyPicker picker={picker} listId={pickerId} />
        <textarea
          ref={replyRef}
          aria-label={t('pane.reply')}
          aria-controls={picker.open ? pickerId : undefined}
          aria-activedescendant={pickedOption ? optionId(pickerId, pickedOption) : undefined}
          placeholder={t('pane.replyPlaceholder')}
          value={draft}
          rows={3}
          onChange={(e) => {
            onDraft(e.target.value);
            setTyping(e.target.value.length > 0);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTyping(false)}
        />
        <div className="composer-row">
          <span className={`counter${draft.length > MAX_REPLY ? ' over' : ''}`} aria-live="polite">
            {draft.length}/{MAX_REPLY}
          </span>
          <span className="muted small-hint">{canSend ? t('pane.enterHint') : t('transport.replyKept')}</span>
          <button
            type="button"
            title={t('saved.buttonHint')}
            onClick={() => {
              picker.browse();
              replyRef.current?.focus();
            }}
          >
            {t('saved.button')}
          </button>
          <button type="button" className="primary" onClick={() => void send()} disabled={!canSend || !draft.trim() || draft.length > MAX_REPLY}>
            {t('actions.send')}
          </button>
        </div>
      </footer>
    </section>
  );
}

type WindowProps = Omit<Parameters<typeof MessageWindow>[0], 'messages' | 'loading' | 'hasOlder' | 'loadOlder'>;

/**
 * The messages live here, not in the pane: a live change (an agent run: every frame) draws only
 * the window again, not the header and composer with their thirty-odd texts (bench openmanusui).
 */
const PaneMessages = memo(function PaneMessages({ conversationId, onMessageCount, ...rest }: WindowProps & { conversationId: number; onMessageCount: () => void }) {
  const { messages, loading, hasOlder, loadOlder } = useMessages(conversationId);
  const count = messages.length;
  useEffect(() => onMessageCount(), [count, onMessageCount]);
  return <MessageWindow {...rest} messages={messages} loading={loading} hasOlder={hasOlder} loadOlder={loadOlder} />;
});
