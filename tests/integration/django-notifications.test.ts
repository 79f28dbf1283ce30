// The django-notifications kind end to end against the real Django Channels backend (daphne):
// a decline kills the console's socket with 1011 (the deployed bug) and the console reconnects,
// keeps what it has and catches the decline up from the challenges list; an accept arrives live;
// entries are searchable, counted in the badge and raise OS notifications through the policy.
import { afterEach, expect, it } from 'vitest';
import { startDjangoBackend, type DjangoBackend } from '../../backends/django/launcher/backend';
import { SiteClient } from '../../backends/django/launcher/site-client';
import { createDjangoNotificationsKind } from '../../src/main/core/connectors/django-notifications/kind';
import { builtInKinds } from '../../src/main/core/connectors/kinds';
import type { ShownNotification } from '../../src/main/core/notifications/types';
import type { NotificationDecision } from '../../src/shared/attention';
import type { SearchHit } from '../../src/shared/domain';
import { startTestCore, waitFor, type TestCore } from '../support/portfolio-harness';
import { tempDir } from '../support/temp-db';
import { startWsDropProxy } from '../support/ws-drop-proxy';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setUp(): Promise<{ b: DjangoBackend; t: TestCore; accountId: number; shown: ShownNotification[]; student: (name: string) => Promise<SiteClient> }> {
  const b = await startDjangoBackend({ seedDemo: true, students: 5, anonThrottle: '10000/hour' });
  cleanups.push(() => b.stop());
  const temp = tempDir('switchboard-django-notifications-');
  cleanups.push(() => temp.cleanup());
  const shown: ShownNotification[] = [];
  const kinds = builtInKinds.map((k) => (k.kind === 'django-notifications' ? createDjangoNotificationsKind({ retryMs: 100, maxRetryMs: 1000 }) : k));
  const t = await startTestCore(temp.dir, { kinds, notifier: { show: (n) => shown.push(n), close: () => undefined } });
  cleanups.push(() => t.close());
  const eko = b.seed!.students.find((s) => s.username === 'eko')!;
  const r = await t.core.dispatch('accounts.connect', { kind: 'django-notifications', siteUrl: b.url, login: 'eko', password: eko.password });
  if (!r.ok) throw new Error(r.error.message);
  const accountId = (r.value as { id: number }).id;
  await waitFor(() => t.core.accounts.connectionOf(accountId)?.state === 'live', 15_000, 'live');
  const student = async (name: string) => {
    const c = new SiteClient(b.url);
    await c.login(name, b.seed!.students.find((s) => s.username === name)!.password);
    return c;
  };
  return { b, t, accountId, shown, student };
}

const titles = (t: TestCore, accountId: number) => t.core.mirror.feed.page(100, undefined, accountId).items.map((e) => e.title);

it('a decline closes the socket with 1011: reconnected calmly, nothing lost, the decline caught up; an accept arrives live', async () => {
  const { t, accountId, shown, student } = await setUp();
  const ahmad = await student('ahmad');
  const budi = await student('budi');
  // The console's user (eko) challenges two students.
  const eko = await student('eko');
  const one = await eko.json<{ id: number }>('POST', '/en/api/v1/challenges/challenges/', { opponent_username: 'ahmad', challenge_type: 'quick_quant_10' });
  const two = await eko.json<{ id: number }>('POST', '/en/api/v1/challenges/challenges/', { opponent_username: 'budi', challenge_type: 'medium_verbal_15' });
  // An invite to eko first, so there is something to keep.
  await ahmad.json('POST', '/en/api/v1/challenges/challenges/', { opponent_username: 'eko', challenge_type: 'quick_quant_10' });
  await waitFor(() => titles(t, accountId).length === 1, 10_000, 'invite live');
  const statesBefore = t.states.length;

  await ahmad.json('POST', `/en/api/v1/challenges/challenges/${one.id}/decline/`, {});
  await waitFor(() => t.logs.some((l) => l.includes('closed the notification socket (1011)')), 10_000, '1011 seen');
  await waitFor(() => titles(t, accountId).some((x) => /declined your challenge/.test(x)), 10_000, 'decline caught up');
  expect(t.states.slice(statesBefore).map((s) => s.state)).toContain('connecting');
  await waitFor(() => t.core.accounts.connectionOf(accountId)?.state === 'live', 10_000, 'live again');

  await budi.json('POST', `/en/api/v1/challenges/challenges/${two.id}/accept/`, {});
  await waitFor(() => titles(t, accountId).some((x) => /accepted your challenge/.test(x)), 10_000, 'accept live');

  const all = titles(t, accountId);
  expect(all).toHaveLength(3);
  expect(new Set(all).size).toBe(3);
  expect(all.filter((x) => /^\S.* invited you to a challenge$/.test(x))).toHaveLength(1);
  // A resync lists everything again: still no duplicate.
  t.core.resync('test');
  await waitFor(() => t.core.accounts.connectionOf(accountId)?.state === 'live', 10_000, 'live after resync');
  expect(titles(t, accountId)).toHaveLength(3);

  // Counted in the badge, notified with its title, searchable, Mark all read clears the count.
  await waitFor(() => t.core.attention.badge.current().unread === 3, 5_000, 'badge counts the entries');
  expect(shown.map((n) => n.title)).toEqual(expect.arrayContaining([expect.stringMatching(/invited you to a challenge$/), expect.stringMatching(/accepted your challenge$/)]));
  // Each names the mirrored entry its click opens (the one whose title it shows).
  const entries = t.core.mirror.feed.page(100, undefined, accountId).items;
  for (const n of shown) expect(entries.find((e) => e.id === n.feedEntryId)?.title).toBe(n.title);
  const hits = await t.core.dispatch('search', { query: 'declined', limit: 10 });
  expect(hits.ok && (hits.value as SearchHit[]).some((h) => h.feedEntryId !== undefined && h.conversationId === null)).toBe(true);
  const marked = await t.core.dispatch('feed.markAllRead', { accountId });
  expect(marked.ok).toBe(true);
  await waitFor(() => t.core.attention.badge.current().unread === 0, 5_000, 'badge cleared');
});

it('do-not-disturb holds the OS notification; the entry still waits unread', async () => {
  const { t, accountId, shown, student } = await setUp();
  const set = await t.core.dispatch('settings.update', { doNotDisturb: true });
  expect(set.ok, set.ok ? '' : set.error.message).toBe(true);
  const citra = await student('citra');
  await citra.json('POST', '/en/api/v1/challenges/challenges/', { opponent_username: 'eko', challenge_type: 'quick_quant_10' });
  await waitFor(() => titles(t, accountId).length === 1, 10_000, 'invite live');
  const log = await t.core.dispatch('notifications.log', { limit: 10 });
  expect(log.ok && (log.value as NotificationDecision[]).find((d) => d.kind === 'feed-entry')?.reason).toBe('dnd');
  expect(shown).toHaveLength(0);
  // The badge recomputes once per burst, on the next tick.
  await waitFor(() => t.core.attention.badge.current().unread === 1, 5_000, 'badge counts the entry');
});

it('a refused Origin says "unavailable" with the reason, and recovers by itself once the site accepts it', async () => {
  const b = await startDjangoBackend({ seedDemo: true, students: 5, anonThrottle: '10000/hour' });
  cleanups.push(() => b.stop());
  const proxy = await startWsDropProxy(b.port);
  cleanups.push(() => proxy.close());
  proxy.forgeOrigin('http://proxy.example');
  const ahmad = new SiteClient(b.url);
  await ahmad.login('ahmad', b.seed!.students.find((s) => s.username === 'ahmad')!.password);
  await ahmad.json('POST', '/en/api/v1/challenges/challenges/', { opponent_username: 'eko', challenge_type: 'quick_quant_10' });
  const temp = tempDir('switchboard-django-notifications-');
  cleanups.push(() => temp.cleanup());
  const kinds = builtInKinds.map((k) => (k.kind === 'django-notifications' ? createDjangoNotificationsKind({ retryMs: 100, maxRetryMs: 1000 }) : k));
  const t = await startTestCore(temp.dir, { kinds });
  cleanups.push(() => t.close());
  const r = await t.core.dispatch('accounts.connect', { kind: 'django-notifications', siteUrl: proxy.url, login: 'eko', password: b.seed!.students.find((s) => s.username === 'eko')!.password });
  if (!r.ok) throw new Error(r.error.message);
  const accountId = (r.value as { id: number }).id;
  await waitFor(() => t.core.accounts.connectionOf(accountId)?.state === 'unavailable', 15_000, 'unavailable');
  expect(t.core.accounts.connectionOf(accountId)?.detail).toMatch(/allowed hosts/);
  expect(titles(t, accountId)).toHaveLength(0);
  // The site accepts the address again: the console finds out by itself and catches up.
  proxy.forgeOrigin(null);
  await waitFor(() => t.core.accounts.connectionOf(accountId)?.state === 'live', 20_000, 'live once the Origin is accepted');
  await waitFor(() => titles(t, accountId).length === 1, 10_000, 'caught up');
});
