// The agent timeline in the conversation pane (openmanus): events are compact rows (buttons with
// aria-expanded) between the messages, errors marked, the payload shown as capped plain text;
// hostile payloads (markup, ~400 KB, 120 levels deep) stay inert; the list's running indicator;
// the "New conversation" dialog.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { ConversationList } from '../../src/renderer/src/components/ConversationList';
import { ConversationPane } from '../../src/renderer/src/components/ConversationPane';
import { NewConversationDialog } from '../../src/renderer/src/components/NewConversationDialog';
import { DETAIL_CHARS, eventView, previewJson } from '../../src/renderer/src/lib/timeline';
import type { Message } from '../../src/shared/domain';
import { installFakeApi } from './support/fake-api';
import { account, conversation, message } from './support/fixtures';
import { giveScrollersASize, renderInApp, sizeScrollersInEachTest } from './support/render';

// The pane's rows are windowed: its scroller needs a size for any row to be drawn.
sizeScrollersInEachTest();

const event = (id: number, content: string, payload: Record<string, unknown>, over: Partial<Message> = {}) =>
  message(id, 7, { kind: 'event', senderType: 'agent', content, payload: { event: null, error: false, run: 'running', truncated: false, data: null, ...payload }, ...over });

function deep(levels: number): unknown {
  let v: unknown = { leaf: '<img src=x onerror="window.__pwned=1">' };
  for (let i = 0; i < levels; i++) v = { [`level${i}`]: v, html: '<b>bold</b>' };
  return v;
}

const hostileResult = `<script>window.__pwned=1</script><a href="javascript:alert(1)">click</a> ${JSON.stringify({ rows: Array.from({ length: 8000 }, (_, i) => ({ i, html: '<iframe src=javascript:alert(1)>' })) })}`;

const timeline: Message[] = [
  message(1, 7, { senderType: 'admin', content: 'Find the cheapest flights', payload: { run: 'running' } }),
  event(2, 'Step 1 of 20', { event: 'agent.step', data: { step: 1, max_steps: 20 } }),
  event(3, 'Using browser_use…', { event: 'agent.tools_prepared', data: { tool_name: 'browser_use', tool_args: { url: 'https://example.org' } } }),
  event(4, 'browser_use result: Navigated to https://example.org/flights', { event: 'agent.tool_result', data: { tool_name: 'browser_use', result: 'Navigated to https://example.org/flights' } }, { senderType: 'tool' }),
  event(5, 'web_search failed: timed out after 5 seconds', { event: 'agent.tool_error', error: true, data: { tool: 'web_search', error: 'timed out after 5 seconds' } }),
  event(6, `python_execute result: ${hostileResult.slice(0, 19_000)}`, { event: 'agent.tool_result', truncated: true, data: { tool_args: deep(120), preview: hostileResult } }, { senderType: 'tool' }),
  message(7, 7, { senderType: 'agent', content: 'Here is what I found: flights from 900k.', payload: { run: 'finished' } }),
  message(8, 7, { senderType: 'system', kind: 'system', content: 'Agent stuck: the same action 3 times.', payload: { run: 'stuck' } }),
];

function Pane() {
  return <ConversationPane conversation={conversation(7, { visitorName: 'Find the cheapest flights', agentRun: 'finished' })} visitorTyping={false} draft="" onDraft={() => {}} onStatus={() => {}} onLeave={() => {}} replyRef={createRef()} scrollToMessageId={null} canSend confirmLinksInPage />;
}

describe('agent timeline', () => {
  it('draws events as collapsed rows between the messages: the user as the owner, the answer as a message, errors marked', async () => {
    installFakeApi({ 'messages.page': () => ({ items: timeline, nextCursor: null }), 'typing.send': () => null });
    renderInApp(<Pane />);
    const list = screen.getByRole('list', { name: 'Messages' });
    expect(await within(list).findByRole('button', { name: /^Step: Step 1 of 20/ })).toHaveAttribute('aria-expanded', 'false');
    expect(within(list).getByRole('button', { name: /^Agent step: Using browser_use…/ })).toBeVisible();
    const failed = within(list).getByRole('button', { name: /^Error: web_search failed: timed out/ });
    expect(failed.closest('li')).toHaveClass('error');
    expect(within(list).getByText('Find the cheapest flights').closest('li')).toHaveClass('mine');
    const answer = within(list).getByText('Here is what I found: flights from 900k.').closest('li')!;
    expect(answer).toHaveClass('message', 'theirs', 'ai');
    expect(within(answer).getByText('Agent')).toBeVisible();
    expect(within(list).getByText('Agent stuck: the same action 3 times.').closest('li')).toHaveClass('system-note', 'error');
    // No payload is drawn until a row is opened.
    expect(list.querySelector('.timeline-payload')).toBeNull();
    expect(screen.getByText('Agent finished')).toHaveClass('agent-finished');
  });

  it('a row opens with the keyboard to its text and payload, as text; closes again', async () => {
    installFakeApi({ 'messages.page': () => ({ items: timeline, nextCursor: null }), 'typing.send': () => null });
    const user = userEvent.setup();
    renderInApp(<Pane />);
    const row = await screen.findByRole('button', { name: /^Agent step: browser_use result: Navigated/ });
    row.focus();
    await user.keyboard('{Enter}');
    expect(row).toHaveAttribute('aria-expanded', 'true');
    const details = document.getElementById(row.getAttribute('aria-controls')!)!;
    expect(details.querySelector('.timeline-payload')!.textContent).toContain('"result": "Navigated to https://example.org/flights"');
    await user.keyboard(' ');
    expect(row).toHaveAttribute('aria-expanded', 'false');
    expect(document.getElementById(details.id)).toBeNull();
  });

  it('a hostile payload (markup, ~400 KB, 120 levels deep) renders inert, capped, and says so', async () => {
    (window as unknown as { __pwned?: number }).__pwned = undefined;
    installFakeApi({ 'messages.page': () => ({ items: timeline, nextCursor: null }), 'typing.send': () => null });
    const user = userEvent.setup();
    renderInApp(<Pane />);
    const row = await screen.findByRole('button', { name: /^Agent step: python_execute result: <script>/ });
    // The collapsed row is one line, cut.
    expect(row.querySelector('.timeline-label')!.textContent!.length).toBeLessThanOrEqual(160);
    await user.click(row);
    const details = document.getElementById(row.getAttribute('aria-controls')!)!;
    expect(details.querySelectorAll('script, img, iframe, a, b')).toHaveLength(0);
    const pre = details.querySelector('.timeline-payload')!;
    expect(pre.textContent!.length).toBeLessThanOrEqual(DETAIL_CHARS);
    expect(pre.textContent).toContain('…');
    expect(within(details).getByText('This is only the start: the data is too large to show whole.')).toBeVisible();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('previewJson stops at its caps and survives cycles; eventView reads any payload shape', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(previewJson(cyclic).text).toContain('"[cycle]"');
    expect(previewJson(deep(500), 100_000, 12).text).toContain('{…}');
    expect(previewJson(deep(500), 100_000, 12).clipped, 'a depth cut says so').toBe(true);
    expect(previewJson(deep(3), 100_000, 12).clipped).toBe(false);
    const big = previewJson({ rows: Array.from({ length: 100_000 }, (_, i) => i) }, 1000);
    expect(big.clipped).toBe(true);
    expect(big.text.length).toBe(1000);
    expect(eventView({ content: 'x', payload: ['not', 'an', 'object'] })).toMatchObject({ label: 'x', error: false, data: ['not', 'an', 'object'] });
    expect(eventView({ content: '', payload: null })).toMatchObject({ label: '…', data: null });
  });

  it('the list shows which agents are running, failed or stuck (not finished)', () => {
    installFakeApi({});
    const restore = giveScrollersASize();
    onTestFinished(restore);
    const rows = [conversation(1, { visitorName: 'Run A', agentRun: 'running' }), conversation(2, { visitorName: 'Run B', agentRun: 'stuck' }), conversation(3, { visitorName: 'Run C', agentRun: 'finished' }), conversation(4, { visitorName: 'Chat' })];
    renderInApp(<ConversationList conversations={rows} loading={false} selectedId={null} typing={new Set()} hasMore={false} onLoadMore={() => {}} onSelect={() => {}} onOpen={() => {}} now={1_700_000_000_000} />);
    const list = screen.getByRole('list', { name: 'Conversations' });
    expect(within(list).getByRole('listitem', { name: /^Run A, .*Agent running$/ })).toBeVisible();
    expect(within(list).getByRole('listitem', { name: /^Run B, .*Agent stuck$/ })).toBeVisible();
    expect(within(list).getByRole('listitem', { name: /^Run C, Active$/ })).toBeVisible();
    expect(list.querySelectorAll('.agent-run')).toHaveLength(2);
  });

  it('New conversation offers the models used, takes a typed one, and starts with the first message', async () => {
    const started = conversation(9, { visitorName: 'Plan a trip' });
    const fake = installFakeApi({ 'accounts.models': () => ({ models: ['gpt-4o', 'claude-3'] }), 'conversations.start': () => started });
    const onStarted = vi.fn();
    const user = userEvent.setup();
    const agents = account({ kind: 'openmanus', capabilities: { ...account().capabilities, startConversations: true } });
    renderInApp(<NewConversationDialog accounts={[agents]} preferredAccountId={null} onClose={() => {}} onStarted={onStarted} />);
    const dialog = screen.getByRole('dialog', { name: 'New conversation' });
    const model = within(dialog).getByRole('combobox', { name: 'Model' });
    await waitFor(() => expect(model).toHaveValue('gpt-4o'));
    expect([...dialog.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'))).toEqual(['gpt-4o', 'claude-3']);
    const start = within(dialog).getByRole('button', { name: 'Start' });
    expect(start).toBeDisabled();
    await user.clear(model);
    await user.type(model, 'my-local-model');
    await user.type(within(dialog).getByRole('textbox', { name: 'First message' }), 'Plan a trip');
    await user.click(start);
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith(started));
    expect(fake.calls.find((c) => c.method === 'conversations.start')?.input).toEqual({ accountId: 1, content: 'Plan a trip', model: 'my-local-model' });
  });
});
