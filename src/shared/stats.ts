// Response-time stats from the mirror: what the Stats view shows for a period, per account or all.
import { z } from 'zod';
import { LocalId } from './domain';

export const StatsQuery = z
  .object({
    accountId: LocalId.optional(),
    days: z.number().int().min(1).max(365),
    /** The renderer's offset from UTC (minutes east), so "a day" and "an hour" are local ones. */
    utcOffsetMinutes: z.number().int().min(-840).max(840),
  })
  .strict();
export type StatsQuery = z.infer<typeof StatsQuery>;

export const Stats = z.object({
  /** One entry per local day of the period, oldest first; `day` is that day's local midnight (epoch ms). */
  perDay: z.array(z.object({ day: z.number().int(), conversations: z.number().int(), replies: z.number().int() })),
  /** Visitor messages per local hour of day, 0–23. */
  hours: z.array(z.number().int()).length(24),
  /** From a conversation's first visitor message to the first reply after it, over the period's conversations. */
  firstResponse: z.object({ medianMs: z.number().nullable(), p90Ms: z.number().nullable(), answered: z.number().int(), unanswered: z.number().int() }),
});
export type Stats = z.infer<typeof Stats>;

/** Nearest-rank percentile of sorted values (p in 0–100); null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
