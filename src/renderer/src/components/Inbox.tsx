import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { Account, ConversationFilter, ConversationStatus, ConversationSummary } from '../../../shared/domain';
import type { Settings, SettingsPatch } from '../../../shared/settings';
import { api } from '../api';
import { useApiEvent } from '../hooks/useApiEvent';
import { useConversations } from '../hooks/useConversations';
import { useFeed } from '../hooks/useFeed';
import { useFocusReport } from '../hooks/useFocusReport';
import { useInboxKeys } from '../hooks/useInboxKeys';
import { logFailure } from '../lib/errors';
import { useVisitorName } from '../lib/names';
import { AttentionBridge } from './AttentionBridge';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';
import { DetailsPane } from './DetailsPane';
import { PaneSplitter } from './PaneSplitter';
import { useNotices } from './Notices';
import { SearchField, SearchResults } from './SearchPanel';
import { Sidebar } from './Sidebar';
import { StatusBanner } from './StatusBanner';
import { TransportBanner } from './TransportBanner';

// Views opened now and then load when first opened: the inbox's first mount in a fresh window
// parses and compiles none of them (bench: ui, first mount; Stats brings uPlot, Settings and
// Export the contract's zod schemas).
const ExportDialog = lazy(() => import('./ExportDialog').then((m) => ({ default: m.ExportDialog })));
const StatsDialog = lazy(() => import('./StatsDialog').then((m) => ({ default: m.StatsDialog })));
const PrintView = lazy(() => import('./PrintView').then((m) => ({ default: m.PrintView })));
const SettingsDialog = lazy(() => import('./SettingsDialog').then((m) => ({ default: m.SettingsDialog })));
const ShortcutSheet = lazy(() => import('./ShortcutSheet').then((m) => ({ default: m.ShortcutSheet })));
const NotificationsView = lazy(() => import('./NotificationsView').then((m) => ({ default: m.NotificationsView })));
const NewConversationDialog = lazy(() => import('./NewConversationDialog').then((m) => ({ default: m.NewConversationDialog })));
const SignInDialog = lazy(() => import('./SignInDialog').then((m) => ({ default: m.SignInDialog })));

interface Props {
  accounts: Account[];
  /** The transport reaches the core (see useTransportConnected). */
  connected: boolean;
  outbox: Record<number, { pending: number; failed: number }>;
  progress: Record<number, { done: number; total: number | null }>;
  settings: Settings | null;
  onSettings: (patch: SettingsPatch) => void;
  onAddAccount: () => void;
}

interface Undo {
  conversationId: number;
  previous: ConversationStatus;
  label: string;
}

export function Inbox({ accounts: reported, connected, outbox, progress, settings, onSettings, onAddAccount }: Props) {
  const { t, i18n } = useTranslation();
  const visitorName = useVisitorName();
  // Without the core nothing here is live, whatever the accounts said last.
  const accounts = connected ? reported : reported.map((a) => ({ ...a, connectionState: 'unavailable' as const }));
  const [filter, setFilter] = useState<ConversationFilter>('active');
  // Every account's conversations in one list, or one account's (the sidebar's Accounts).
  const [accountFilter, setAccountFilter] = useState<number | null>(null);
  const shownAccount = accountFilter !== null && accounts.some((a) => a.id === accountFilter) ? accountFilter : null;
  const list = useConversations(filter, shownAccount ?? undefined);
  const accountNames = useMemo(() => (accounts.length > 1 && shownAccount === null ? new Map(accounts.map((a) => [a.id, a.name])) : null), [accounts, shownAccount]);
  const { run } = useNotices();
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  // Back after a loss: what changed meanwhile was never pushed to this page.
  const wasConnected = useRef(connected);
  const { refresh } = list;
  useEffect(() => {
    if (connected && !wasConnected.current) void refresh();
    wasConnected.current = connected;
  }, [connected, refresh]);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [scrollTo, setScrollTo] = useState<number | null>(null);
  const [typing, setTyping] = useState<Set<number>>(new Set());
  const typingTimers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  // The site's AI auto-responder writing (portfolio sites as deployed).
  const [aiTyping, setAiTyping] = useState<Set<number>>(new Set());
  const [drafts, setDrafts] = useState<Record<number, string>>({});
  const [undo, setUndo] = useState<Undo | null>(null);
  const [dialog, setDialog] = useState<'keys' | 'settings' | 'export' | 'stats' | 'new' | null>(null);
  // Agent accounts (capabilities.startConversations) can start a conversation from here.
  const starters = accounts.filter((a) => a.capabilities.startConversations === true);
  const [printing, setPrinting] = useState<{ text: string; title: string } | null>(null);
  const stopPrinting = useCallback(() => setPrinting(null), []);
  // The Notifications view (accounts of shape 'feed') instead of the conversation panes.
  const hasFeed = accounts.some((a) => a.capabilities.shape === 'feed');
  const feed = useFeed(hasFeed);
  const [chosenView, setView] = useState<'inbox' | 'notifications' | null>(null);
  // With feeds only, there is no inbox to show first.
  const view = chosenView ?? (hasFeed && accounts.every((a) => a.capabilities.shape === 'feed') ? 'notifications' : 'inbox');
  const [feedFocus, setFeedFocus] = useState<number | null>(null);
  const showFeed = hasFeed && view === 'notifications';
  const openFeedEntry = useCallback((entryId: number) => {
    setView('notifications');
    setFeedFocus(entryId);
  }, []);
  const [mode, setMode] = useState<'electron' | 'web' | null>(null);
  const [signIn, setSignIn] = useState<Account | null>(null);
  const [demoUrl, setDemoUrl] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const replyRef = useRef<HTMLTextAreaElement>(null);
  // Pane widths in percent of the panes area (list, details), remembered in settings.
  const saved = settings?.paneSizes ?? [];
  const [dragSizes, setDragSizes] = useState<[number, number] | null>(null);
  const listWidth = dragSizes?.[0] ?? saved[0] ?? 30;
  const detailsWidth = dragSizes?.[1] ?? saved[1] ?? 20;
  const saveSizes = (sizes: [number, number]) => {
    setDragSizes(sizes);
    onSettings({ paneSizes: sizes });
  };
  const [fetched, setFetched] = useState<ConversationSummary | null>(null);
  const inList = openId === null ? undefined : list.items.find((c) => c.id === openId);
  // The last copy seen in the list stays on screen while the list reloads (another filter).
  if (inList && fetched !== inList) setFetched(inList);
  const openConversation = inList ?? (fetched && fetched.id === openId ? fetched : null);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  // What nothing on the first screen needs is asked for once the first list page has been drawn:
  // asked with it, the answers were computed by the core and delivered to the page while the
  // first rows rendered (bench ui, first mount in a fresh browser).
  const [listShown, setListShown] = useState(false);
  useEffect(() => {
    if (listShown || list.loading) return;
    // A task after the one that drew the rows (that one also runs this effect).
    const timer = setTimeout(() => setListShown(true), 0);
    return () => clearTimeout(timer);
  }, [listShown, list.loading]);
  useEffect(() => {
    if (!listShown) return;
    void api()
      .invoke('app.info')
      .then((info) => setMode(info.mode))
      .catch((e: unknown) => logFailure('app.info', e));
  }, [listShown]);
  useEffect(() => {
    if (!listShown) return;
    void api()
      .invoke('demo.status')
      .then((s) => setDemoUrl(s.visitorUrl))
      .catch((e: unknown) => logFailure('demo.status', e));
  }, [accounts.length, listShown]);

  // The open conversation comes from the list when it is there, or is fetched (search results,
  // another filter), and fetched again when it changes.
  const fetchOpen = useCallback(() => {
    if (openId === null) return;
    void run(t('notice.openConversation'), async () => setFetched(await api().invoke('conversations.get', { conversationId: openId })));
  }, [openId, run, t]);
  const needsFetch = openId !== null && !inList;
  useEffect(() => {
    if (needsFetch) fetchOpen();
  }, [needsFetch, fetchOpen]);
  useApiEvent('conversations.changed', (e) => {
    if (needsFetch && (e.conversationIds.length === 0 || e.conversationIds.includes(openId))) fetchOpen();
  });

  // Typing and read events are subscribed only for the open conversation.
  useEffect(() => {
    if (!listShown && openId === null) return;
    void api()
      .invoke('conversations.watch', { conversationIds: openId === null ? [] : [openId] })
      .catch((e: unknown) => logFailure('conversations.watch', e));
  }, [openId, listShown]);

  useApiEvent('typing', (e) => {
    if (e.who === 'ai') {
      setAiTyping((s) => {
        const next = new Set(s);
        if (e.isTyping) next.add(e.conversationId);
        else next.delete(e.conversationId);
        return next;
      });
      return;
    }
    if (e.who !== 'visitor') return;
    const timers = typingTimers.current;
    const existing = timers.get(e.conversationId);
    if (existing) clearTimeout(existing);
    setTyping((s) => {
      const next = new Set(s);
      if (e.isTyping) next.add(e.conversationId);
      else next.delete(e.conversationId);
      return next;
    });
    if (e.isTyping) {
      // A lost "stopped typing" event must not leave the hint on forever.
      timers.set(
        e.conversationId,
        setTimeout(() => setTyping((s) => (s.has(e.conversationId) ? new Set([...s].filter((id) => id !== e.conversationId)) : s)), 6000),
      );
    }
  });

  const open = useCallback((id: number | null, messageId: number | null = null) => {
    setOpenId(id);
    if (id !== null) setSelectedId(id);
    setScrollTo(messageId);
  }, []);

  useFocusReport(openConversation ? openConversation.id : null);

  const setStatus = useCallback(
    async (status: ConversationStatus) => {
      const c = openConversation;
      if (!c || c.status === status) return;
      const name = visitorName(c.visitorName);
      const done = await run(t(`notice.status.${status}`, { name }), () => api().invoke('conversations.setStatus', { conversationId: c.id, status }));
      if (!done) return;
      if (status === 'active') setUndo(null);
      else setUndo({ conversationId: c.id, previous: c.status, label: t(`undo.${status}`, { name }) });
    },
    [openConversation, run, t, visitorName],
  );

  useEffect(() => {
    if (!undo) return;
    const timer = setTimeout(() => setUndo(null), 8000);
    return () => clearTimeout(timer);
  }, [undo]);

  const move = useCallback(
    (delta: number) => {
      const items = list.items;
      if (items.length === 0) return;
      const index = items.findIndex((c) => c.id === selectedId);
      const next = items[Math.min(items.length - 1, Math.max(0, index === -1 ? 0 : index + delta))];
      if (next) setSelectedId(next.id);
    },
    [list.items, selectedId],
  );

  const focusSearch = useCallback(() => {
    // A dialog closes first: while it is open the list behind it is inert. The search field sits
    // on top of the conversation list, so the Notifications view gives way to the inbox.
    flushSync(() => {
      setDialog(null);
      setView('inbox');
    });
    searchRef.current?.focus();
    searchRef.current?.select();
  }, []);

  useInboxKeys({
    blocked: dialog !== null || signIn !== null,
    search: focusSearch,
    settings: () => setDialog('settings'),
    leave: () => open(null),
    move,
    open: () => selectedId !== null && open(selectedId),
    reply: () => replyRef.current?.focus(),
    resolve: () => void setStatus('resolved'),
    close: () => void setStatus('closed'),
    help: () => setDialog('keys'),
  });

  const totalPending = Object.values(outbox).reduce((n, o) => n + o.pending, 0);

  return (
    <div className="app">
      <Sidebar
        accounts={accounts}
        counts={list.counts}
        filter={filter}
        onFilter={(f) => {
          setView('inbox');
          setFilter(f);
        }}
        settings={settings}
        onSettings={onSettings}
        onAddAccount={onAddAccount}
        onOpenSettings={() => setDialog('settings')}
        demoVisitorUrl={demoUrl}
        accountFilter={shownAccount}
        onAccountFilter={(id) => {
          setView('inbox');
          setAccountFilter(id);
        }}
        notifications={hasFeed ? { unread: feed.unread, active: showFeed, onOpen: () => setView('notifications') } : null}
      />
      <AttentionBridge onOpen={(id) => open(id)} onOpenFeedEntry={openFeedEntry} />
      <main className="main">
        {!connected && <TransportBanner />}
        {connected && accounts.map((a) => (
          <StatusBanner key={a.id} account={a} pending={accounts.length === 1 ? totalPending : (outbox[a.id]?.pending ?? 0)} progress={progress[a.id]} onSignIn={setSignIn} />
        ))}
        {list.error && (
          <div className="banner error" role="alert">
            <span>{t('error.load', { message: list.error })}</span>
            <button type="button" onClick={() => void list.refresh()}>
              {t('error.retry')}
            </button>
          </div>
        )}
        {showFeed && (
          <Suspense fallback={null}>
            <NotificationsView key={feedFocus ?? 'feed'} feed={feed} accounts={accounts} now={now} focusEntryId={feedFocus} />
          </Suspense>
        )}
        <div className="panes" hidden={showFeed} style={{ gridTemplateColumns: openConversation ? `${listWidth}% auto minmax(0, 1fr) auto ${detailsWidth}%` : `${listWidth}% auto minmax(0, 1fr)` }}>
          <section className="list-pane" aria-label={t('list.label')}>
            <div className="list-tools">
              <SearchField ref={searchRef} query={query} onQuery={setQuery} />
              <button type="button" className="icon-button" aria-label={t('export.open')} title={t('export.open')} onClick={() => setDialog('export')}>
                ⤓
              </button>
              <button type="button" className="icon-button" aria-label={t('stats.open')} title={t('stats.open')} onClick={() => setDialog('stats')}>
                <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
                  <path d="M1 13h12M3 11V6M7 11V2M11 11V8" stroke="currentColor" strokeWidth="2" fill="none" />
                </svg>
              </button>
              <button type="button" className="icon-button" aria-label={t('keys.title')} title={`${t('keys.title')} (?)`} onClick={() => setDialog('keys')}>
                ?
              </button>
            </div>
            {starters.length > 0 && (
              <div className="list-actions">
                <button type="button" className="primary" onClick={() => setDialog('new')}>
                  {t('newConversation.open')}
                </button>
              </div>
            )}
            <div className="list-body">
              {query.trim() ? (
                <SearchResults
                  query={query.trim()}
                  onOpen={(conversationId, messageId) => open(conversationId, messageId)}
                  onOpenFeedEntry={(entryId) => {
                    setQuery('');
                    openFeedEntry(entryId);
                  }}
                />
              ) : (
                <ConversationList
                  conversations={list.items}
                  loading={list.loading}
                  selectedId={selectedId}
                  typing={typing}
                  hasMore={list.hasMore}
                  onLoadMore={() => void list.loadMore()}
                  onSelect={setSelectedId}
                  onOpen={(id) => open(id)}
                  now={now}
                  accountNames={accountNames}
                />
              )}
            </div>
          </section>
          <PaneSplitter
            label={t('panes.list')}
            value={listWidth}
            min={18}
            max={50}
            direction={1}
            onChange={(v) => setDragSizes([v, detailsWidth])}
            onCommit={(v) => saveSizes([v, detailsWidth])}
          />
          {openConversation ? (
            <>
              <ConversationPane
                key={openConversation.id}
                conversation={openConversation}
                visitorTyping={typing.has(openConversation.id)}
                aiTyping={aiTyping.has(openConversation.id)}
                aiReplies={accounts.find((a) => a.id === openConversation.accountId)?.capabilities.aiReplies === true}
                draft={drafts[openConversation.id] ?? ''}
                onDraft={(text) => setDrafts((d) => ({ ...d, [openConversation.id]: text }))}
                onStatus={(s) => void setStatus(s)}
                onLeave={() => open(null)}
                replyRef={replyRef}
                scrollToMessageId={scrollTo}
                canSend={connected}
                confirmLinksInPage={mode !== 'electron'}
              />
              <PaneSplitter
                label={t('panes.details')}
                value={detailsWidth}
                min={12}
                max={35}
                direction={-1}
                onChange={(v) => setDragSizes([listWidth, v])}
                onCommit={(v) => saveSizes([listWidth, v])}
              />
              <DetailsPane conversation={openConversation} lang={i18n.language} />
            </>
          ) : (
            <section className="conversation-pane empty" aria-label={t('pane.none')}>
              <p className="empty-title">{t('pane.none')}</p>
              <p className="muted">{t('pane.noneHint')}</p>
            </section>
          )}
        </div>
      </main>
      {undo && (
        <div className="toast" role="status">
          <span>{undo.label}</span>
          <button
            type="button"
            onClick={() => {
              const { conversationId, previous } = undo;
              setUndo(null);
              void run(t('notice.undo'), () => api().invoke('conversations.setStatus', { conversationId, status: previous }));
            }}
          >
            {t('actions.undo')}
          </button>
        </div>
      )}
      <Suspense fallback={null}>
      {dialog === 'keys' && <ShortcutSheet onClose={() => setDialog(null)} />}
      {dialog === 'export' && (
        <ExportDialog
          open={openConversation ? { id: openConversation.id, name: visitorName(openConversation.visitorName) } : null}
          filter={filter}
          filterCount={list.counts[filter]}
          query={query.trim()}
          onClose={() => setDialog(null)}
          onPrint={(text, title) => {
            setDialog(null);
            setPrinting({ text, title });
          }}
        />
      )}
      {dialog === 'new' && starters.length > 0 && (
        <NewConversationDialog
          accounts={starters}
          preferredAccountId={shownAccount}
          onClose={() => setDialog(null)}
          onStarted={(c) => {
            setDialog(null);
            setFetched(c);
            open(c.id);
            void list.refresh();
          }}
        />
      )}
      {dialog === 'stats' && <StatsDialog accounts={accounts} onClose={() => setDialog(null)} />}
      {printing && <PrintView text={printing.text} title={printing.title} onDone={stopPrinting} />}
      {dialog === 'settings' && settings && <SettingsDialog settings={settings} mode={mode} onSettings={onSettings} onClose={() => setDialog(null)} />}
      {signIn && <SignInDialog account={signIn} onClose={() => setSignIn(null)} />}
      </Suspense>
    </div>
  );
}
