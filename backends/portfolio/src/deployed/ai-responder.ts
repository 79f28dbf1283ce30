// The site's AI auto-reply: the settings row (created on first use with the AI on), its
// GET / PATCH /api/chat/settings routes, and the responder that answers a visitor message
// inside the visitor's own send request, after autoReplyDelay ms, with ai-typing around it.
// "AI" here is canned text: nothing leaves this machine.
import { z } from 'zod';
import { ADMIN_CHANNEL, adminFrom, conversationChannel, type Handler, type SiteContext } from './context';
import { HttpError, readJson, sendJson } from './http';
import type { ChatSettingsRow, DeployedMessageRow } from './store';
import { messageJson, newMessageEvent, settingsJson, type DeployedMessageJson } from './wire';

export interface AiOptions {
  /** aiEnabled of the settings row when it is first created (the site: true; --no-ai: false). */
  enabledAtCreation: boolean;
  /** autoReplyDelay (ms) of the settings row when it is first created. */
  autoReplyDelayMs: number;
}

const CANNED: [RegExp, string][] = [
  [/\b(price|pricing|cost|budget|rate|harga|biaya)\b/i, 'Thanks for asking! Pricing depends on the scope of the project. Leave a short description and the site owner will send you an estimate.'],
  [/\b(call|meeting|schedule|jadwal)\b/i, 'Happy to set up a call. The site owner will reply here with a few time slots.'],
  [/\b(hi|hello|hey|halo|hai|good (morning|afternoon|evening))\b/i, 'Hi there! 👋 I am the site assistant. How can I help you today?'],
  [/\?\s*$/, 'Good question! I have passed it on — the site owner usually answers within a few hours.'],
];
const FALLBACK = 'Thanks for your message! The site owner has been notified and will get back to you soon.';

/** The canned answer for a visitor message. */
export function cannedReply(content: string): string {
  for (const [re, text] of CANNED) if (re.test(content)) return text;
  return FALLBACK;
}

export function createAiResponder(ctx: SiteContext, opts: AiOptions) {
  const timers = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  let stopped = false;

  function settings(): ChatSettingsRow {
    return ctx.store.settings() ?? ctx.store.createSettings(opts.enabledAtCreation, opts.autoReplyDelayMs);
  }

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        done: resolve,
      };
      timers.add(entry);
    });
  }

  /** Answers a visitor message when the AI is on; resolves with the stored AI message, or undefined. */
  async function answer(visitorMessage: DeployedMessageRow): Promise<DeployedMessageJson | undefined> {
    const s = settings();
    if (s.ai_enabled !== 1 || stopped) return undefined;
    const conversationId = visitorMessage.conversation_id;
    const channel = conversationChannel(conversationId);
    await ctx.trigger(channel, 'ai-typing', { isTyping: true, conversationId });
    let row: DeployedMessageRow | undefined;
    try {
      await wait(Math.max(0, s.auto_reply_delay));
      if (stopped || !ctx.store.conversation(conversationId)) return undefined;
      row = ctx.store.addMessage(conversationId, 'ai', null, cannedReply(visitorMessage.content));
      await ctx.trigger(channel, 'new-message', newMessageEvent(row));
    } finally {
      if (!stopped) await ctx.trigger(channel, 'ai-typing', { isTyping: false, conversationId });
    }
    return messageJson(row);
  }

  return {
    settings,
    answer,
    /** Ends pending delays without answering (server shutdown). */
    stop() {
      stopped = true;
      for (const t of timers) {
        clearTimeout(t.timer);
        t.done();
      }
      timers.clear();
    },
  };
}

export type AiResponder = ReturnType<typeof createAiResponder>;

const settingsPatchSchema = z.object({
  aiEnabled: z.boolean().optional(),
  aiModel: z.string().min(1).max(100).optional(),
  aiTemperature: z.number().min(0).max(2).optional(),
  systemPrompt: z.string().max(5000).optional(),
  autoReplyDelay: z.number().int().min(0).max(60_000).optional(),
});

export function settingsHandlers(ai: AiResponder): { get: Handler; patch: Handler } {
  async function requireAdmin(ctx: SiteContext, req: Parameters<Handler>[1]): Promise<number> {
    const userId = await adminFrom(ctx, req);
    if (userId === null) throw new HttpError(401, 'Unauthorized');
    return userId;
  }
  return {
    get: async (ctx, req, res) => {
      await requireAdmin(ctx, req);
      sendJson(res, 200, { success: true, data: settingsJson(ai.settings()) });
    },
    patch: async (ctx, req, res) => {
      const userId = await requireAdmin(ctx, req);
      const parsed = settingsPatchSchema.safeParse(await readJson(req));
      if (!parsed.success) throw new HttpError(400, 'Invalid settings', parsed.error.issues.map((i) => i.message));
      const before = ai.settings();
      const after = ctx.store.updateSettings(before.id, parsed.data);
      // The site announces every PATCH that carries aiEnabled, changed or not.
      if (parsed.data.aiEnabled !== undefined) {
        await ctx.trigger(ADMIN_CHANNEL, 'ai-settings-changed', { aiEnabled: after.ai_enabled === 1, changedBy: userId });
      }
      sendJson(res, 200, { success: true, data: settingsJson(after) });
    },
  };
}
