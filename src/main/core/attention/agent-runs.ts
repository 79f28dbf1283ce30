// What each agent is doing, derived from the mirrored messages: the state of a conversation's
// run is the `run` of its newest message whose payload carries one (`payload.run`: 'running',
// 'finished', 'failed' or 'stuck'; the openmanus connector sets it on agent events, on the user's
// message that starts a run and on the answer or note that ends it). Only accounts that run
// agents (capabilities.startConversations) are looked at. A run seen ending here (running → an
// end, in a committed burst) is handed to the notification center once.
import { AgentRun, type ConversationSummary, type Message } from '../../../shared/domain';
import type { EventBus } from '../events';
import type { RunMark } from '../mirror/attention-repo';

export type AgentRunEnd = Exclude<AgentRun, 'running'>;

export interface AgentRunsDeps {
  events: EventBus;
  /** Of a conversation's newest messages (the mirror's first page), those stating a run, newest first. */
  recentRuns(conversationId: number): RunMark[];
  /** The conversation's account runs agents. */
  runsAgents(conversationId: number): boolean;
  /** A run ended: `text` is the answer or the event that ended it (untrusted, plain text). */
  ended(conversationId: number, end: AgentRunEnd, text: string): void;
  log(message: string): void;
}

interface Tracked {
  run: AgentRun;
  createdAt: number;
  id: number;
}

/** The run a message states, if any. */
export function runOf(message: Pick<Message, 'payload'>): AgentRun | null {
  const p = message.payload;
  if (!p || typeof p !== 'object') return null;
  return checkedRun((p as { run?: unknown }).run);
}

function checkedRun(run: unknown): AgentRun | null {
  const parsed = AgentRun.safeParse(run);
  return parsed.success ? parsed.data : null;
}

const newer = (m: Pick<Message, 'createdAt' | 'id'>, than: Tracked | null) => !than || m.createdAt > than.createdAt || (m.createdAt === than.createdAt && m.id > than.id);

export class AgentRuns {
  private readonly tracked = new Map<number, Tracked | null>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: AgentRunsDeps) {}

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((name, payload) => {
      if (name !== 'messages.added' && name !== 'messages.updated' && name !== 'messages.removed') return;
      try {
        if (name === 'messages.removed') this.tracked.delete((payload as { conversationId: number }).conversationId);
        else {
          const { conversationId, messages } = payload as { conversationId: number; messages: Message[] };
          this.onMessages(conversationId, messages, name === 'messages.added');
        }
      } catch (error) {
        // A problem here must never stop the mirror's events reaching the UI.
        this.deps.log(`agent runs: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** The conversation's run state, or null (not an agent's, or nothing said yet). */
  stateOf(conversationId: number): AgentRun | null {
    if (!this.tracked.has(conversationId)) this.tracked.set(conversationId, this.fromMirror(conversationId, new Set()));
    return this.tracked.get(conversationId)?.run ?? null;
  }

  decorate(summary: ConversationSummary): ConversationSummary {
    return { ...summary, agentRun: this.stateOf(summary.id) };
  }

  private fromMirror(conversationId: number, except: ReadonlySet<number>): Tracked | null {
    if (!this.deps.runsAgents(conversationId)) return null;
    for (const m of this.deps.recentRuns(conversationId)) {
      const run = except.has(m.id) ? null : checkedRun(m.run);
      if (run) return { run, createdAt: m.createdAt, id: m.id };
    }
    return null;
  }

  private onMessages(conversationId: number, messages: Message[], added: boolean): void {
    const stating = messages.filter((m) => runOf(m) !== null);
    if (stating.length === 0) return;
    // What it was before this burst: the mirror without the burst's messages (they are committed).
    const before = this.tracked.has(conversationId) ? this.tracked.get(conversationId)! : this.fromMirror(conversationId, new Set(messages.map((m) => m.id)));
    if (!before && !this.deps.runsAgents(conversationId)) {
      this.tracked.set(conversationId, null);
      return;
    }
    let now = before;
    let endedBy: Message | null = null;
    for (const m of [...stating].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)) {
      if (!newer(m, now)) continue;
      const run = runOf(m)!;
      if (run !== 'running' && now?.run === 'running') endedBy ??= m;
      now = { run, createdAt: m.createdAt, id: m.id };
    }
    this.tracked.set(conversationId, now);
    // Only a run that was running before this burst ends here: a whole finished run arriving at
    // once (the first sync of an account, a conversation first seen) is history, not news.
    if (!added || before?.run !== 'running' || !endedBy || !now || now.run === 'running') return;
    // The answer reads better than "Agent finished": the newest text the agent wrote in this burst.
    const answer = now.run === 'finished' ? messages.filter((m) => m.senderType === 'agent' && m.kind === 'text').at(-1) : undefined;
    this.deps.ended(conversationId, now.run, (answer ?? endedBy).content);
  }
}
