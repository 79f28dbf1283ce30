// The chat route handlers as deployed: cookie-checked admin routes, unpaged per-status lists,
// whole-history messages, send (200, aiResponse?), mark-read and PATCH of conversation fields.
import { z } from 'zod';
import type { AiResponder } from './ai-responder';
import { ADMIN_CHANNEL, adminFrom, conversationChannel, type Handler, type SiteContext } from './context';
import { HttpError, readJson, sendJson } from './http';
import type { DeployedStatus } from './store';
import { conversationListJson, conversationRowJson, messageJson, newMessageEvent } from './wire';

async function requireAdmin(ctx: SiteContext, req: Parameters<Handler>[1]): Promise<number> {
  const userId = await adminFrom(ctx, req);
  if (userId === null) throw new HttpError(401, 'Unauthorized');
  return userId;
}

function conversationIdFrom(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : typeof value === 'number' ? value : NaN;
  if (!Number.isInteger(n) || n <= 0) throw new HttpError(400, 'conversationId is required');
  return n;
}

/** The site guesses who the visitor is from the first message; both may stay null. */
export function guessVisitor(content: string): { name: string | null; email: string | null } {
  const email = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i.exec(content)?.[0] ?? null;
  const m = /\b(?:[Mm]y name is|I am|I'm|[Tt]his is|[Nn]ama saya|[Ss]aya)\s+(\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?)/u.exec(content);
  return { name: m?.[1] ?? null, email };
}

export const listConversations: Handler = async (ctx, req, res, url) => {
  await requireAdmin(ctx, req);
  // No validation and no "all": the status is compared as given, so status=all matches nothing.
  const status = url.searchParams.get('status') ?? 'active';
  const data = ctx.store.conversationsWithStatus(status).map((c) => conversationListJson(ctx.store, c));
  sendJson(res, 200, { success: true, data });
};

/** The whole history, oldest first, for the admin (cookie) or the conversation's own visitor (visitorId). */
export const listMessages: Handler = async (ctx, req, res, url) => {
  const conversationId = conversationIdFrom(url.searchParams.get('conversationId'));
  const admin = await adminFrom(ctx, req);
  const conv = ctx.store.conversation(conversationId);
  if (admin === null) {
    const visitorId = url.searchParams.get('visitorId');
    if (!visitorId) throw new HttpError(401, 'Unauthorized');
    if (!conv || conv.visitor_id !== visitorId) throw new HttpError(404, 'Conversation not found');
  }
  if (!conv) throw new HttpError(404, 'Conversation not found');
  sendJson(res, 200, { success: true, data: ctx.store.messages(conversationId).map(messageJson) });
};

const sendSchema = z.object({
  conversationId: z.number().int().positive().nullable().optional(),
  content: z.string().trim().min(1, 'Message cannot be empty').max(2000, 'Message too long'),
  /** The widget's random id for this browser (the admin never sends one). */
  visitorId: z.string().min(8).max(100).optional(),
});

export function sendHandler(ai: AiResponder): Handler {
  return async (ctx, req, res) => {
    const parsed = sendSchema.safeParse(await readJson(req));
    if (!parsed.success) throw new HttpError(400, parsed.error.issues[0]?.message ?? 'Invalid message');
    const input = parsed.data;
    const admin = await adminFrom(ctx, req);
    const { store } = ctx;

    if (admin !== null) {
      if (!input.conversationId) throw new HttpError(400, 'conversationId is required');
      const convId = input.conversationId;
      if (!store.conversation(convId)) throw new HttpError(404, 'Conversation not found');
      const row = store.addMessage(convId, 'admin', admin, input.content);
      store.markVisitorMessagesRead(convId);
      await ctx.trigger(conversationChannel(convId), 'new-message', newMessageEvent(row));
      await ctx.trigger(ADMIN_CHANNEL, 'conversation-updated', { conversationId: convId, unreadCount: store.unreadCount(convId) });
      sendJson(res, 200, { success: true, data: { messageId: row.id, conversationId: convId } });
      return;
    }

    if (!input.visitorId) throw new HttpError(401, 'Unauthorized');
    let conv = input.conversationId ? store.conversation(input.conversationId) : undefined;
    if (input.conversationId && (!conv || conv.visitor_id !== input.visitorId)) throw new HttpError(404, 'Conversation not found');
    const created = !conv;
    if (!conv) {
      const guess = guessVisitor(input.content);
      conv = store.createConversation(input.visitorId, guess.name, guess.email);
    }
    const row = store.addMessage(conv.id, 'visitor', null, input.content);
    await ctx.trigger(conversationChannel(conv.id), 'new-message', newMessageEvent(row));
    if (created) {
      await ctx.trigger(ADMIN_CHANNEL, 'new-conversation', {
        conversationId: conv.id,
        visitorName: conv.visitor_name,
        firstMessage: row.content.substring(0, 100),
        createdAt: conv.created_at,
      });
    } else {
      await ctx.trigger(ADMIN_CHANNEL, 'conversation-updated', { conversationId: conv.id, unreadCount: store.unreadCount(conv.id) });
    }
    const aiResponse = await ai.answer(row);
    const data: Record<string, unknown> = { messageId: row.id, conversationId: conv.id };
    if (aiResponse) data.aiResponse = aiResponse;
    sendJson(res, 200, { success: true, data });
  };
}

export const markRead: Handler = async (ctx, req, res) => {
  await requireAdmin(ctx, req);
  const body = (await readJson(req)) as { conversationId?: unknown } | null;
  const conversationId = conversationIdFrom(body?.conversationId);
  if (!ctx.store.conversation(conversationId)) throw new HttpError(404, 'Conversation not found');
  const updated = ctx.store.markVisitorMessagesRead(conversationId);
  await ctx.trigger(ADMIN_CHANNEL, 'conversation-updated', { conversationId, unreadCount: 0 });
  sendJson(res, 200, { success: true, data: { conversationId, updated } });
};

const patchSchema = z.object({
  status: z.enum(['active', 'resolved', 'closed']).optional(),
  visitorName: z.string().max(100).nullable().optional(),
  visitorEmail: z.string().max(255).nullable().optional(),
});

export const patchConversation: Handler = async (ctx, req, res, url) => {
  await requireAdmin(ctx, req);
  const rawId = url.pathname.split('/').pop() ?? '';
  if (!/^\d{1,15}$/.test(rawId)) throw new HttpError(400, 'Invalid conversation id');
  const id = Number(rawId);
  const parsed = patchSchema.safeParse(await readJson(req));
  if (!parsed.success) throw new HttpError(400, parsed.error.issues[0]?.message ?? 'Invalid update');
  if (!ctx.store.conversation(id)) throw new HttpError(404, 'Conversation not found');
  const row = ctx.store.updateConversation(id, parsed.data as { status?: DeployedStatus; visitorName?: string | null; visitorEmail?: string | null });
  if (!row) throw new HttpError(404, 'Conversation not found');
  await ctx.trigger(ADMIN_CHANNEL, 'conversation-updated', { conversationId: id, unreadCount: ctx.store.unreadCount(id) });
  sendJson(res, 200, { success: true, data: conversationRowJson(row) });
};
