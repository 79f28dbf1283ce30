// Saved replies: the owner's canned answers, kept in the mirror database and inserted from the
// composer. The same limits as a reply (2,000 characters) and the JSON file they export to.
import { z } from 'zod';
import { LocalId, Timestamp } from './domain';

export const MAX_SAVED_REPLY_TITLE = 100;
export const MAX_SAVED_REPLY_TEXT = 2000;
export const MAX_SAVED_REPLIES = 1000;

export const SavedReplyInput = z
  .object({
    title: z.string().trim().min(1).max(MAX_SAVED_REPLY_TITLE),
    content: z.string().trim().min(1).max(MAX_SAVED_REPLY_TEXT),
  })
  .strict();
export type SavedReplyInput = z.infer<typeof SavedReplyInput>;

export const SavedReply = z.object({ id: LocalId, title: z.string(), content: z.string(), updatedAt: Timestamp });
export type SavedReply = z.infer<typeof SavedReply>;

/** The exported file: `{ "format": "switchboard-saved-replies", "version": 1, "replies": [...] }`. */
export const SAVED_REPLIES_FORMAT = 'switchboard-saved-replies';
export const SavedRepliesFile = z.object({
  format: z.literal(SAVED_REPLIES_FORMAT),
  version: z.literal(1),
  replies: z.array(z.object({ title: z.string(), content: z.string() })).max(MAX_SAVED_REPLIES),
});
export type SavedRepliesFile = z.infer<typeof SavedRepliesFile>;

export const savedRepliesFile = (replies: readonly { title: string; content: string }[]): SavedRepliesFile => ({
  format: SAVED_REPLIES_FORMAT,
  version: 1,
  replies: replies.map(({ title, content }) => ({ title, content })),
});
