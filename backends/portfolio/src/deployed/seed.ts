// Demo data for --as-deployed --seed-demo: the plan flavour's demo conversations, plus what a
// deployed site has that the plan does not: an AI reply and a visitor the site could not name.
import { DEMO_CONVERSATIONS } from '../seed';
import { cannedReply } from './ai-responder';
import type { DeployedStore } from './store';

/** Inserts the demo conversations into an empty database; returns how many were added. */
export function seedDeployedDemo(store: DeployedStore, adminId: number | null): number {
  if (store.countConversations() > 0) return 0;
  const now = Date.now();
  const iso = (minutesAgo: number): string => new Date(now - minutesAgo * 60_000).toISOString();
  store.db.transaction(() => {
    for (const [i, c] of DEMO_CONVERSATIONS.entries()) {
      const first = c.messages[0];
      // The site guesses names from the first message; this visitor never gave one.
      const name = c.email === null ? null : c.name;
      const conv = store.createConversation(`demo-visitor-${i + 1}`, name, c.email, c.status, iso((first?.minutesAgo ?? 0) + 1));
      for (const m of c.messages) {
        store.addMessage(conv.id, m.from, m.from === 'admin' ? adminId : null, m.text, m.read ?? false, iso(m.minutesAgo));
      }
      const last = c.messages[c.messages.length - 1];
      if (c.status === 'active' && last?.from === 'visitor' && name === null) {
        store.addMessage(conv.id, 'ai', null, cannedReply(last.text), false, iso(Math.max(0, last.minutesAgo - 1)));
      }
    }
  })();
  return DEMO_CONVERSATIONS.length;
}
