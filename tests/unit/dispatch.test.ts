import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch, type Dispatch } from '../../src/main/core/api/dispatch';
import { AccountService } from '../../src/main/core/accounts/account-service';
import { Attention } from '../../src/main/core/attention/attention';
import { createHandlers } from '../../src/main/core/api/handlers';
import { Demo } from '../../src/main/core/demo/demo';
import type { Connector } from '../../src/main/core/connectors/connector';
import { realTimers } from '../../src/main/core/sync/timers';
import { EventBus } from '../../src/main/core/events';
import { JsonFileSettingsStore, PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { ConsoleError, methodNames, type ConsoleApiHandlers } from '../../src/shared/contract';
import { openTempMirror } from '../support/temp-db';

let ctx: ReturnType<typeof openTempMirror>;
let dispatch: Dispatch;
let events: { name: string; payload: unknown }[];
let conversationId: number;
let accounts: AccountService;

beforeEach(async () => {
  ctx = openTempMirror();
  const bus = new EventBus();
  events = [];
  bus.subscribe((name, payload) => events.push({ name, payload }));
  const secrets = new PlainFileSecretStore(`${ctx.temp.dir}/secrets.json`);
  accounts = new AccountService({
    mirror: ctx.mirror,
    events: bus,
    secrets,
    // A connector that never reaches a backend: this file tests the contract layer, not sync
    // (tests/integration/portfolio-sync.test.ts runs the real connector against the real backend).
    connectorFactory: () => offlineConnector,
    clock: () => 5_000,
    random: () => 0.5,
    timers: realTimers,
    log: () => {},
  });
  const settings = new JsonFileSettingsStore(`${ctx.temp.dir}/settings.json`);
  const handlers = createHandlers({
    mirror: ctx.mirror,
    events: bus,
    settings,
    secrets,
    accounts,
    demo: new Demo({ dataDir: ctx.temp.dir, mirror: ctx.mirror, accounts, log: () => {} }),
    attention: new Attention({
      mirror: ctx.mirror,
      events: bus,
      settings,
      accounts,
      systemLanguage: () => 'en',
      logFile: `${ctx.temp.dir}/notification-log.json`,
      clock: () => 5_000,
      timers: realTimers,
      log: () => {},
    }),
    app: { version: '0.0.0-test', mode: 'web', dataDir: ctx.temp.dir },
  });
  dispatch = createDispatch(handlers);
  const account = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Site', baseUrl: 'http://x' }, 1);
  conversationId = ctx.mirror.transaction(() => ctx.mirror.conversations.upsert(account.id, { remoteId: '1', createdAt: 1 }, 1)).row.id;
  secrets.set(`account:${account.id}:token`, 'token');
  await accounts.startAll();
});
afterEach(async () => {
  await accounts.stopAll();
  ctx.close();
});

const offlineConnector: Connector = {
  capabilities: { serverStatus: true, idempotentSend: true, catchUp: 'cursor', readReceipts: true, typing: true, shape: 'inbox' },
  connect: async (sink) => sink.link('unavailable', 'test connector'),
  disconnect: async () => {},
  listConversations: async () => ({ items: [], next: null, watermark: null }),
  messagesAfter: async () => ({ items: [], next: null }),
  messagesBefore: async () => ({ items: [], next: null }),
  sendReply: () => new Promise(() => {}),
  setStatus: async () => {},
  markRead: async () => {},
  sendTyping: () => {},
  setAvailability: async () => {},
  watch: () => {},
};

describe('ConsoleApi dispatch', () => {
  it('implements every method of the contract', () => {
    const handlers = createHandlers({ accounts } as never) as ConsoleApiHandlers;
    expect(Object.keys(handlers).sort()).toEqual([...methodNames].sort());
  });

  it.each([
    ['an unknown method', 'accounts.drop', {}, /Unknown method/],
    ['a non-string method', 42, {}, /Unknown method/],
    ['a wrong type', 'conversations.page', { filter: 'active', limit: 'ten' }, /limit/],
    ['an unknown filter', 'conversations.page', { filter: 'spam' }, /filter/],
    ['an extra key', 'conversations.page', { filter: 'all', sql: 'DROP TABLE' }, /Unrecognized key/i],
    ['a missing argument', 'messages.page', undefined, /Invalid argument/],
    ['a negative id', 'messages.page', { conversationId: -1 }, /conversationId/],
    ['an empty reply', 'messages.send', { conversationId: 1, content: '   ', clientId: '1b4e28ba-2fa1-4d2e-8e3a-1b2c3d4e5f60' }, /content/],
    ['a reply over 2000 characters', 'messages.send', { conversationId: 1, content: 'x'.repeat(2001), clientId: '1b4e28ba-2fa1-4d2e-8e3a-1b2c3d4e5f60' }, /content/],
    ['a client id that is not a UUID', 'messages.send', { conversationId: 1, content: 'hi', clientId: 'abc' }, /clientId/],
    ['a bad setting', 'settings.update', { theme: 'neon' }, /theme/],
    ['an unknown setting', 'settings.update', { telemetry: true }, /Unrecognized key/i],
  ])('rejects %s with a clear bad-request error', async (_label, method, input, message) => {
    const result = await dispatch(method, input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('bad-request');
      expect(result.error.message).toMatch(message);
    }
  });

  it('answers not-found for a conversation that does not exist', async () => {
    const result = await dispatch('messages.page', { conversationId: 999 });
    expect(result).toEqual({ ok: false, error: { code: 'not-found', message: 'Conversation 999 does not exist.' } });
  });

  it('hides internal errors behind a plain message and logs the details', async () => {
    const logged: string[] = [];
    const failing = createDispatch(
      { 'accounts.list': () => { throw new Error('disk on fire'); } } as unknown as ConsoleApiHandlers,
      (m) => logged.push(m),
    );
    const result = await failing('accounts.list', undefined);
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.stringContaining('could not complete accounts.list') } });
    expect(logged[0]).toContain('disk on fire');
    const known = createDispatch({ 'accounts.list': () => { throw new ConsoleError('unavailable', 'Offline'); } } as unknown as ConsoleApiHandlers);
    expect(await known('accounts.list', undefined)).toEqual({ ok: false, error: { code: 'unavailable', message: 'Offline' } });
  });

  it('answers conversations.details through the contract, and not-found for a missing conversation', async () => {
    expect(await dispatch('conversations.details', { conversationId })).toEqual({
      ok: true,
      value: { conversationId, firstSeenAt: 1, conversationCount: 1, statusHistory: [{ status: 'active', at: 1, source: 'initial' }], members: [] },
    });
    await dispatch('conversations.setStatus', { conversationId, status: 'closed' });
    const after = await dispatch('conversations.details', { conversationId });
    expect(after.ok && (after.value as { statusHistory: unknown[] }).statusHistory[0]).toEqual({ status: 'closed', at: 5_000, source: 'local' });
    expect(await dispatch('conversations.details', { conversationId: 999 })).toEqual({ ok: false, error: { code: 'not-found', message: 'Conversation 999 does not exist.' } });
  });

  it('sends a reply as pending, pushes events, and is idempotent by client id', async () => {
    const input = { conversationId, content: 'Hello there', clientId: '1b4e28ba-2fa1-4d2e-8e3a-1b2c3d4e5f60' };
    const first = await dispatch('messages.send', input);
    const second = await dispatch('messages.send', input);
    expect(first).toMatchObject({ ok: true, value: { content: 'Hello there', delivery: 'pending', senderType: 'admin' } });
    expect(second.ok && first.ok && (second.value as { id: number }).id).toBe(first.ok && (first.value as { id: number }).id);
    expect(events.map((e) => e.name)).toEqual(expect.arrayContaining(['outbox.counts', 'messages.added', 'conversations.changed']));
    const page = await dispatch('messages.page', { conversationId });
    expect(page.ok && (page.value as { items: unknown[] }).items).toHaveLength(1);
  });

  it('updates settings through the schema and pushes the change', async () => {
    const result = await dispatch('settings.update', { theme: 'dark', notifications: { volume: 0.3 } });
    expect(result).toMatchObject({ ok: true, value: { theme: 'dark', notifications: { enabled: true, volume: 0.3 } } });
    expect(events.at(-1)?.name).toBe('settings.changed');
  });
});
