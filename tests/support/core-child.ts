// A core in its own process, for crash tests: `node --import tsx tests/support/core-child.ts <dataDir> [siteUrl email password]`.
// Prints one JSON line per interesting event; the parent SIGKILLs it whenever it likes.
// SWITCHBOARD_CHILD_KIND=django-chat: the account is a Django mentor chat (login = the 3rd
// argument), with the poll and echo timeout shortened as in tests/support/django-harness.ts.
import { builtInKinds } from '../../src/main/core/connectors/kinds';
import { createDjangoChatKind } from '../../src/main/core/connectors/django-chat/kind';
import { startTestCore } from './portfolio-harness';

async function main(): Promise<void> {
  const [dataDir, siteUrl, email, password] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: core-child <dataDir> [siteUrl email password]');
  const out = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
  const django = process.env.SWITCHBOARD_CHILD_KIND === 'django-chat';
  const c = await startTestCore(dataDir, django ? { kinds: builtInKinds.map((k) => (k.kind === 'django-chat' ? createDjangoChatKind({ pollMs: 200, echoTimeoutMs: 5000 }) : k)) } : {});
  c.core.events.subscribe((name, payload) => {
    if (name === 'connection.state') out({ event: 'state', state: (payload as { state: string }).state });
    else if (name === 'messages.added') out({ event: 'added', n: (payload as { messages: unknown[] }).messages.length });
    else if (process.env.SWITCHBOARD_TEST_LOG) console.log(`event ${name} ${JSON.stringify(payload).slice(0, 120)}`);
  });
  if (siteUrl && email && password) {
    // SWITCHBOARD_CHILD_PUSHER: manual Pusher settings (JSON) for a site without /api/chat/config.
    const pusher = process.env.SWITCHBOARD_CHILD_PUSHER ? (JSON.parse(process.env.SWITCHBOARD_CHILD_PUSHER) as Record<string, unknown>) : undefined;
    const input = django ? { kind: 'django-chat', siteUrl, login: email, password } : { kind: 'portfolio', siteUrl, email, password, ...(pusher ? { pusher } : {}) };
    const r = await c.core.dispatch('accounts.connect', input as never);
    out({ event: 'connected', ok: r.ok });
  }
  // SWITCHBOARD_CHILD_REPLY: once live, reply with this text in the newest conversation.
  const reply = process.env.SWITCHBOARD_CHILD_REPLY;
  if (reply) {
    const send = async () => {
      const page = await c.core.dispatch('conversations.page', { filter: 'all', limit: 1 });
      const conversation = page.ok ? (page.value as { items: { id: number }[] }).items[0] : undefined;
      if (!conversation) return;
      const r = await c.core.dispatch('messages.send', { conversationId: conversation.id, content: reply, clientId: '00000000-0000-4000-8000-00000000c0de' });
      out({ event: 'reply-queued', ok: r.ok });
    };
    c.core.events.subscribe((name, payload) => {
      if (name === 'connection.state' && (payload as { state: string }).state === 'live') void send();
    });
  }
  process.on('SIGTERM', () => {
    void c.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
