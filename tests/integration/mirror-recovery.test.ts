// Issue 16 item 6: a damaged mirror (truncated, a random page overwritten, a bad header, a
// garbage WAL, 0 bytes) never keeps the app from starting. The damaged file is moved aside with
// its -wal/-shm, a fresh mirror re-syncs from the real reference backend, what can be read of
// the outbox (the queued reply) is kept and sent, and the core tells the UI what happened.
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/core';
import { openDatabase } from '../../src/main/core/db/open';
import { Mirror } from '../../src/main/core/mirror/mirror';
import { Visitor, backendSnapshot, connectAccount, mirrorSnapshot, sortKeys, startTestBackend, startTestCore, waitFor, type TestBackend } from '../support/portfolio-harness';
import { migrationsDir, tempDir, type TempDir } from '../support/temp-db';

const REPLY = 'queued while offline, must survive';
let backend: TestBackend;
let clean: TempDir;
let accountId: number;
const dirs: TempDir[] = [];

beforeAll(async () => {
  backend = await startTestBackend();
  const visitor = await new Visitor(backend.apiUrl, 'Vera').open();
  for (let i = 0; i < 300; i++) await visitor.send(`message ${i} ${'lorem ipsum '.repeat(20)}`);
  clean = tempDir();
  const app = await startTestCore(clean.dir);
  accountId = await connectAccount(app.core, backend);
  await waitFor(() => app.core.accounts.connectionOf(accountId)?.state === 'live', 20_000, 'live');
  await app.close();
  // A reply queued while the site was unreachable: in the outbox, pending in the mirror.
  const database = openDatabase({ file: join(clean.dir, DATABASE_FILE), migrationsDir });
  const mirror = new Mirror(database);
  const conversation = mirror.conversations.findByRemote(accountId, String(visitor.conversationId))!;
  mirror.transaction(() => {
    const m = mirror.messages.insertPending({ conversationId: conversation.id, clientId: '00000000-0000-4000-8000-00000000abcd', senderType: 'admin', senderName: null, content: REPLY, createdAt: Date.now() });
    mirror.outbox.add({ accountId, conversationId: conversation.id, kind: 'reply', payload: { content: REPLY, messageId: m.id }, clientId: m.clientId!, now: Date.now() });
  });
  mirror.close();
}, 60_000);

afterAll(async () => {
  for (const d of dirs) d.cleanup();
  clean?.cleanup();
  await backend?.close();
});

/** A copy of the clean profile, damaged by `damage` while no process has it open. */
function damagedCopy(damage: (file: string) => void): TempDir {
  const dir = tempDir();
  dirs.push(dir);
  for (const name of readdirSync(clean.dir)) copyFileSync(join(clean.dir, name), join(dir.dir, name));
  damage(join(dir.dir, DATABASE_FILE));
  return dir;
}

function overwrite(file: string, offset: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

const garbage = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + 7) % 256));

/** recovers: 'either' where SQLite itself may ignore the damage (a WAL whose frames fail their checksums). */
const cases: { name: string; damage: (file: string) => void; keepsOutbox: boolean; recovers?: 'either' }[] = [
  { name: 'truncated to half', damage: (f) => truncateSync(f, Math.floor(statSync(f).size / 2 / 4096) * 4096), keepsOutbox: true },
  { name: 'a page in the middle overwritten', damage: (f) => overwrite(f, Math.floor(statSync(f).size / 4096 / 2) * 4096, garbage(4096)), keepsOutbox: true },
  { name: 'bad header', damage: (f) => overwrite(f, 0, garbage(100)), keepsOutbox: true },
  { name: 'garbage WAL', damage: (f) => writeFileSync(`${f}-wal`, Buffer.concat([Buffer.from([0x37, 0x7f, 0x06, 0x82, 0, 0x2d, 0xe2, 0x18, 0, 0, 0x10, 0]), garbage(40_000)])), keepsOutbox: true, recovers: 'either' },
  { name: 'garbage WAL and -shm', damage: (f) => (writeFileSync(`${f}-wal`, garbage(40_000)), writeFileSync(`${f}-shm`, garbage(32_768))), keepsOutbox: true, recovers: 'either' },
  { name: '0 bytes', damage: (f) => truncateSync(f, 0), keepsOutbox: false },
  { name: 'truncated mid-page', damage: (f) => truncateSync(f, statSync(f).size - 1000), keepsOutbox: true },
  { name: 'the first page wiped (the schema gone)', damage: (f) => overwrite(f, 0, Buffer.alloc(4096)), keepsOutbox: true },
  {
    name: 'a few pages scribbled over',
    damage: (f) => {
      const pages = statSync(f).size / 4096;
      for (const at of [0.3, 0.55, 0.8]) overwrite(f, Math.floor(pages * at) * 4096 + 100, garbage(1500));
    },
    keepsOutbox: true,
  },
];

describe('a damaged mirror', () => {
  for (const c of cases) {
    it(`${c.name}: moved aside, rebuilt from the site, the outbox kept where readable, the user told`, async () => {
      const dir = damagedCopy(c.damage);
      const app = await startTestCore(dir.dir);
      try {
        const notice = await app.core.dispatch('mirror.recovery', undefined);
        expect(notice.ok).toBe(true);
        const recovery = (notice as { value: { movedTo: string; reason: string; keptAccounts: number; keptReplies: number } | null }).value;
        if (process.env.SWITCHBOARD_TEST_LOG) console.log(`case ${c.name}: ${JSON.stringify(recovery)}`);
        if (c.recovers === 'either' && recovery === null) {
          // SQLite ignored the damage: everything must be there as before.
          await waitFor(() => app.core.accounts.connectionOf(accountId)?.state === 'live', 20_000, 'live');
          await waitFor(() => app.core.mirror.outbox.counts(accountId).pending === 0, 20_000, 'reply sent');
          await waitFor(() => backend.api.listAllMessages().some((m) => m.content === REPLY), 10_000, 'reply at the site');
          return;
        }
        expect(recovery).not.toBeNull();
        expect(existsSync(recovery!.movedTo)).toBe(true);
        expect(recovery!.movedTo).not.toBe(join(dir.dir, DATABASE_FILE));
        expect(recovery!.reason.length).toBeGreaterThan(0);
        if (!c.keepsOutbox && recovery!.keptAccounts === 0) return; // nothing readable: the notice says so
        expect(recovery!.keptAccounts).toBe(1);
        await waitFor(() => app.core.accounts.connectionOf(accountId)?.state === 'live', 20_000, 'live after rebuild');
        if (recovery!.keptReplies) {
          await waitFor(() => app.core.mirror.outbox.counts(accountId).pending === 0, 20_000, 'reply sent');
          await waitFor(() => backend.api.listAllMessages().some((m) => m.content === REPLY), 10_000, 'reply at the site');
        }
        if (c.keepsOutbox) expect(recovery!.keptReplies).toBe(1);
        await waitFor(() => JSON.stringify(sortKeys(mirrorSnapshot(app.core, accountId))) === JSON.stringify(sortKeys(backendSnapshot(backend))), 20_000, 'mirror equals the site');
      } finally {
        await app.close();
      }
    }, 60_000);
  }
});
