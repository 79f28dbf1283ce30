// Demo data (--seed-demo): the owner, five members, two direct rooms, a group with enough
// history to page through, a public lobby and a broadcast room. Loaded once, into an empty database.
import { randomUUID } from 'node:crypto';
import type { ChatDb, RoomType } from './db';
import type { ChatService } from './service';

export const DEMO_OWNER = { email: 'owner@example.com', password: 'switchboard-demo', username: 'owner', displayName: 'Site Owner' } as const;
export const DEMO_MEMBER_PASSWORD = 'member-demo-password';
export const DEMO_MEMBERS = [
  { username: 'alice', displayName: 'Alice Rahman' },
  { username: 'budi', displayName: 'Budi Santoso' },
  { username: 'chen', displayName: 'Chen Wei' },
  { username: 'dewi', displayName: 'Dewi Lestari' },
  { username: 'emma', displayName: 'Emma Clark' },
] as const;

/** Messages in the "Support team" group, more than two pages of 50. */
export const DEMO_GROUP_HISTORY = 120;

const LINES = [
  'Morning! Anyone looked at the checkout bug yet?',
  'Pagi! Saya cek sebentar ya.',
  'The staging deploy is green again.',
  'Can we move the sync to 3pm?',
  'Customer in the widget asks about invoices.',
  'I will take that one.',
  'Thanks 🙏',
  'Docs are updated.',
];

export async function seedDemo(chatDb: ChatDb, service: ChatService, owner: { id: string }): Promise<boolean> {
  const { q, db } = chatDb;
  if ((q.countUsers.get()?.n ?? 0) > 1) return false;
  const ids: Record<string, string> = {};
  for (const m of DEMO_MEMBERS) {
    const u = await service.createUser({ email: `${m.username}@example.com`, username: m.username, password: DEMO_MEMBER_PASSWORD, displayName: m.displayName });
    ids[m.username] = u.id;
  }
  const member = (name: string): string => ids[name] as string;
  const start = Date.now() - 3 * 24 * 3600_000;
  let tick = 0;
  const at = (): string => new Date(start + ++tick * 60_000).toISOString();

  db.transaction(() => {
    const room = (name: string, type: RoomType, creator: string, members: string[]): string => {
      const id = randomUUID();
      const t = at();
      q.insertRoom.run(id, name, type, type === 'public' ? 'Everyone is welcome' : '', creator, t, t);
      for (const m of members) q.insertMember.run(id, m, m === creator && type !== 'direct' ? 'owner' : 'member', t);
      return id;
    };
    const say = (roomId: string, sender: string, content: string, o: { edited?: boolean; deleted?: boolean } = {}): void => {
      const id = randomUUID();
      const t = at();
      q.insertMessage.run(id, roomId, sender, null, 'text', content, null, t, t);
      if (o.edited) q.editMessage.run(`${content} (fixed)`, t, t, id);
      if (o.deleted) q.deleteMessage.run(t, t, id);
      q.touchRoom.run(t, roomId);
    };

    const dmAlice = room('', 'direct', owner.id, [owner.id, member('alice')]);
    say(dmAlice, member('alice'), 'Hi! Is the new pricing page live?');
    say(dmAlice, owner.id, 'Yes, since this morning.');
    say(dmAlice, member('alice'), 'Great, the annual plan shows the wrong discount though', { edited: true });
    say(dmAlice, member('alice'), 'Could you take a look today?');

    const dmBudi = room('', 'direct', member('budi'), [member('budi'), owner.id]);
    say(dmBudi, member('budi'), 'Halo, apakah bisa bantu soal integrasi?');
    say(dmBudi, member('budi'), 'oops wrong chat', { deleted: true });
    say(dmBudi, owner.id, 'Tentu, kirim detailnya ya.');

    const team = room('Support team', 'group', owner.id, [owner.id, member('alice'), member('chen'), member('dewi')]);
    const speakers = [owner.id, member('alice'), member('chen'), member('dewi')];
    for (let i = 0; i < DEMO_GROUP_HISTORY; i++) say(team, speakers[i % speakers.length] as string, `${LINES[i % LINES.length] as string} (#${i + 1})`);

    const lobby = room('Lobby', 'public', member('emma'), [member('emma'), owner.id, member('budi')]);
    say(lobby, member('emma'), 'Welcome to the lobby 👋');
    say(lobby, member('budi'), 'Hello everyone');

    const news = room('Announcements', 'broadcast', owner.id, [owner.id, ...Object.values(ids)]);
    say(news, owner.id, 'Maintenance window on Saturday 22:00-23:00 UTC.');
  })();
  return true;
}
