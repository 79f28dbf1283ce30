// Demo data for --seed-demo: a few conversations with history, one in every status.
import type { ChatDb } from './api/db';

interface DemoMessage {
  from: 'visitor' | 'admin';
  text: string;
  minutesAgo: number;
  read?: boolean;
}

interface DemoConversation {
  name: string;
  email: string | null;
  status: 'active' | 'resolved' | 'closed';
  messages: DemoMessage[];
}

export const DEMO_CONVERSATIONS: DemoConversation[] = [
  {
    name: 'Alice Tan',
    email: 'alice@example.com',
    status: 'active',
    messages: [
      { from: 'visitor', text: 'Hi! I saw your portfolio — are you available for freelance work?', minutesAgo: 42, read: true },
      { from: 'admin', text: 'Hello Alice, thanks for reaching out! Yes, I have some availability next month.', minutesAgo: 40, read: true },
      { from: 'visitor', text: 'Great. It is a Next.js dashboard with realtime charts.', minutesAgo: 6 },
      { from: 'visitor', text: 'Could we schedule a call this week?', minutesAgo: 5 },
    ],
  },
  {
    name: 'Budi Santoso',
    email: null,
    status: 'active',
    messages: [{ from: 'visitor', text: 'Halo, apakah template portfolio ini open source?', minutesAgo: 15 }],
  },
  {
    name: 'Citra Dewi',
    email: 'citra@example.org',
    status: 'resolved',
    messages: [
      { from: 'visitor', text: 'The contact form on your site returns an error.', minutesAgo: 60 * 26, read: true },
      { from: 'admin', text: 'Thanks for the report! Fixed now — could you try again?', minutesAgo: 60 * 25, read: true },
      { from: 'visitor', text: 'Works now, thank you!', minutesAgo: 60 * 25 - 5, read: true },
    ],
  },
  {
    name: 'Dan Miller',
    email: 'dan@example.net',
    status: 'closed',
    messages: [
      { from: 'visitor', text: 'Do you do WordPress sites?', minutesAgo: 60 * 24 * 3, read: true },
      { from: 'admin', text: 'Sorry Dan, I only take React/Next.js projects at the moment.', minutesAgo: 60 * 24 * 3 - 30, read: true },
    ],
  },
];

/** Inserts the demo conversations unless the database already has conversations. Returns how many were added. */
export function seedDemo(chatDb: ChatDb, adminId: number | null): number {
  const { db, q } = chatDb;
  if ((q.countConversations.get()?.n ?? 0) > 0) return 0;
  const now = Date.now();
  const iso = (minutesAgo: number): string => new Date(now - minutesAgo * 60_000).toISOString();
  db.transaction(() => {
    for (const [i, c] of DEMO_CONVERSATIONS.entries()) {
      const first = c.messages[0];
      const last = c.messages[c.messages.length - 1];
      const created = iso((first?.minutesAgo ?? 0) + 1);
      const lastAt = iso(last?.minutesAgo ?? 0);
      const r = q.insertConversation.run(`demo-visitor-${i + 1}`, c.name, c.email, c.status, created, lastAt, lastAt);
      const convId = Number(r.lastInsertRowid);
      for (const m of c.messages) {
        const at = iso(m.minutesAgo);
        q.insertMessage.run(convId, m.from, m.from === 'admin' ? adminId : null, m.text, m.read ? 1 : 0, m.read ? at : null, null, at);
      }
    }
  })();
  return DEMO_CONVERSATIONS.length;
}
