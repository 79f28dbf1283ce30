// Wires the attention parts to the core: the unread badge, what the owner is looking at, the
// notification center with its rules and decision log, and the feed of visitor messages.
import type { BadgeState, NotificationDecision } from '../../../shared/attention';
import type { Settings } from '../../../shared/settings';
import type { AccountService } from '../accounts/account-service';
import type { EventBus } from '../events';
import type { Mirror } from '../mirror/mirror';
import { DecisionLog, JsonFileDecisionLogStore } from '../notifications/decision-log';
import { NotificationCenter } from '../notifications/notification-center';
import type { Notifier, NotificationPrefs, OsDndProbe } from '../notifications/types';
import type { SettingsStore } from '../settings/settings-store';
import type { Timers } from '../sync/timers';
import { AgentRuns } from './agent-runs';
import { BadgeTracker } from './badge';
import { EventNotifier, EventSoundPlayer } from './event-ports';
import { FocusTracker } from './focus';
import { FeedNotices } from './feed-notices';
import { VisitorFeed } from './visitor-feed';

export type UiLanguage = 'en' | 'id';

export interface AttentionOptions {
  mirror: Mirror;
  events: EventBus;
  settings: SettingsStore;
  accounts: AccountService;
  /** Native notifications in the app; pushed to the page in browser mode when omitted. */
  notifier?: Notifier;
  osDnd?: OsDndProbe;
  /** The OS language, for settings.language = 'system'. */
  systemLanguage: () => UiLanguage;
  logFile: string;
  clock: () => number;
  timers: Timers;
  log: (message: string) => void;
  localMinutes?: (at: number) => number;
}

export function notificationPrefs(settings: Settings, systemLanguage: () => UiLanguage): NotificationPrefs {
  const n = settings.notifications;
  return {
    enabled: n.enabled,
    sound: n.sound,
    agentSound: n.agentSound,
    volume: n.volume,
    repeatSeconds: n.repeatSeconds,
    quietHours: { ...n.quietHours },
    doNotDisturb: settings.doNotDisturb,
    availability: settings.availability,
    language: settings.language === 'system' ? systemLanguage() : settings.language,
  };
}

export class Attention {
  readonly badge: BadgeTracker;
  readonly focus: FocusTracker;
  readonly center: NotificationCenter;
  readonly decisions: DecisionLog;
  /** What each agent is doing (the list's running indicator) and the "agent finished" trigger. */
  readonly agentRuns: AgentRuns;
  private readonly feed: VisitorFeed;
  private readonly feedNotices: FeedNotices;

  constructor(private readonly options: AttentionOptions) {
    const { mirror, events } = options;
    this.badge = new BadgeTracker({
      sources: {
        // Unread visitor messages and unread notification feed entries.
        unreadTotal: () => mirror.attention.unreadTotal() + mirror.feed.unread(),
        connectionStates: () => mirror.accounts.list().map((a) => options.accounts.connectionOf(a.id)?.state ?? 'offline'),
      },
      events,
      timers: options.timers,
    });
    this.decisions = new DecisionLog({ store: new JsonFileDecisionLogStore(options.logFile, options.log), timers: options.timers, warn: options.log });
    this.decisions.onChange((change) => {
      if (change.type !== 'cleared') events.emit('notifications.decision', change.decision);
    });
    this.center = new NotificationCenter({
      prefs: () => notificationPrefs(options.settings.get(), options.systemLanguage),
      notifier: options.notifier ?? new EventNotifier(events),
      sound: new EventSoundPlayer(events),
      osDnd: options.osDnd ?? { isDoNotDisturb: () => null },
      focus: { focusedConversationId: () => this.focus.focusedConversationId() },
      conversations: { get: (id) => mirror.attention.facts(id), waiting: () => mirror.attention.waiting() },
      log: this.decisions,
      clock: options.clock,
      timers: options.timers,
      ...(options.localMinutes ? { localMinutes: options.localMinutes } : {}),
      warn: options.log,
    });
    this.focus = new FocusTracker((id) => this.center.conversationSeen(id));
    this.feed = new VisitorFeed({
      events,
      accountAddedAt: (conversationId) => {
        const facts = mirror.attention.facts(conversationId);
        return facts ? (mirror.accounts.get(facts.accountId)?.createdAt ?? null) : null;
      },
      hasMoreMessagesThan: (id, n) => mirror.attention.hasMoreMessagesThan(id, n),
      visitorMessages: (id, messages, opts) => this.center.visitorMessages(id, messages, opts),
      log: options.log,
    });
    this.agentRuns = new AgentRuns({
      events,
      recentRuns: (id) => mirror.attention.recentRuns(id, 50),
      runsAgents: (id) => {
        const row = mirror.conversations.getRow(id);
        const account = row ? mirror.accounts.get(row.accountId) : undefined;
        return account ? options.accounts.capabilitiesOf(account).startConversations === true : false;
      },
      ended: (id, end, text) => this.center.agentRunEnded(id, end, text),
      log: options.log,
    });
    this.feedNotices = new FeedNotices({
      events,
      accountAddedAt: (accountId) => mirror.accounts.get(accountId)?.createdAt ?? null,
      feedEntries: (accountId, entries) => this.center.feedEntries(accountId, entries),
      log: options.log,
    });
  }

  start(): void {
    this.badge.start();
    this.feed.start();
    this.feedNotices.start();
    this.agentRuns.start();
    this.center.start();
  }

  stop(): void {
    this.feed.stop();
    this.feedNotices.stop();
    this.agentRuns.stop();
    this.badge.stop();
    this.center.stop();
  }

  /** Settings changed (availability, quiet hours, repeat): reschedule. */
  refresh(): void {
    this.center.refresh();
  }

  settings(): Settings {
    return this.options.settings.get();
  }

  badgeState(): BadgeState {
    return this.badge.current();
  }

  log(limit: number): NotificationDecision[] {
    return this.decisions.list(limit);
  }
}
