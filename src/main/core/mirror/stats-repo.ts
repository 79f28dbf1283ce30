// The Stats view's numbers, straight from the mirror: conversations and replies per local day,
// visitor messages per local hour, first-response times.
import type BetterSqlite3 from 'better-sqlite3';
import { percentile, type Stats, type StatsQuery } from '../../../shared/stats';

const DAY = 86_400_000;
const HOUR = 3_600_000;

type Params = { since: number; off: number; acc: number | null };

export class StatsRepo {
  private readonly conversationsPerDay;
  private readonly repliesPerDay;
  private readonly visitorHours;
  private readonly firstResponses;

  constructor(sqlite: BetterSqlite3.Database) {
    // Integer division of local-time milliseconds gives the local day (and hour) number; the
    // offset is cast because better-sqlite3 binds a JS number as REAL, which would divide exactly.
    this.conversationsPerDay = sqlite.prepare<Params, { d: number; n: number }>(
      `SELECT (created_at + CAST(:off AS INTEGER)) / ${DAY} AS d, count(*) AS n FROM conversations
        WHERE created_at >= :since AND (:acc IS NULL OR account_id = :acc) GROUP BY d`,
    );
    this.repliesPerDay = sqlite.prepare<Params, { d: number; n: number }>(
      `SELECT (m.created_at + CAST(:off AS INTEGER)) / ${DAY} AS d, count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.sender_type = 'admin' AND m.delivery != 'failed' AND m.created_at >= :since AND (:acc IS NULL OR c.account_id = :acc) GROUP BY d`,
    );
    this.visitorHours = sqlite.prepare<Params, { h: number; n: number }>(
      `SELECT ((m.created_at + CAST(:off AS INTEGER)) / ${HOUR}) % 24 AS h, count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.sender_type = 'visitor' AND m.created_at >= :since AND (:acc IS NULL OR c.account_id = :acc) GROUP BY h`,
    );
    this.firstResponses = sqlite.prepare<Params, { asked: number | null; answered: number | null }>(
      `SELECT asked, (SELECT min(r.created_at) FROM messages r
                       WHERE r.conversation_id = q.id AND r.sender_type = 'admin' AND r.delivery != 'failed' AND r.created_at >= q.asked) AS answered
         FROM (SELECT c.id, (SELECT min(v.created_at) FROM messages v WHERE v.conversation_id = c.id AND v.sender_type = 'visitor') AS asked
                 FROM conversations c WHERE c.created_at >= :since AND (:acc IS NULL OR c.account_id = :acc)) q`,
    );
  }

  stats(query: StatsQuery, now: number): Stats {
    const off = query.utcOffsetMinutes * 60_000;
    const today = Math.floor((now + off) / DAY);
    const firstDay = today - query.days + 1;
    const params: Params = { since: firstDay * DAY - off, off, acc: query.accountId ?? null };
    const conversations = new Map(this.conversationsPerDay.all(params).map((r) => [r.d, r.n]));
    const replies = new Map(this.repliesPerDay.all(params).map((r) => [r.d, r.n]));
    const perDay = Array.from({ length: query.days }, (_, i) => {
      const d = firstDay + i;
      return { day: d * DAY - off, conversations: conversations.get(d) ?? 0, replies: replies.get(d) ?? 0 };
    });
    const hours = Array.from({ length: 24 }, () => 0);
    for (const r of this.visitorHours.all(params)) hours[((r.h % 24) + 24) % 24] = r.n;
    const times: number[] = [];
    let unanswered = 0;
    for (const r of this.firstResponses.all(params)) {
      if (r.asked === null) continue;
      if (r.answered === null) unanswered += 1;
      else times.push(r.answered - r.asked);
    }
    times.sort((a, b) => a - b);
    return { perDay, hours, firstResponse: { medianMs: percentile(times, 50), p90Ms: percentile(times, 90), answered: times.length, unanswered } };
  }
}
