// The challenge notification feed's wire format as deployed (backends.md §3), checked with zod
// and translated to feed entries. One challenge can give two entries: the invite (to the
// opponent) and the notice of what became of it (accepted/declined to the challenger, cancelled
// to the opponent). Their remote ids are stable, so the socket and the catch-up list never double one.
import { z } from 'zod';
import type { RemoteFeedEntry } from '../../mirror/types';

const Id = z.union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/).transform(Number)]);
const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');
const Text = z.string().max(1000).nullable().optional();

export const WireUser = z.object({ id: Id, username: Text, full_name: Text, email: Text });
export type WireUser = z.infer<typeof WireUser>;

export const WireChallenge = z.object({
  id: Id,
  challenger: WireUser.nullable(),
  opponent: WireUser.nullable().optional(),
  challenge_type: Text,
  challenge_type_display: Text,
  status: z.string().max(100),
  status_display: Text,
  created_at: IsoTime,
  accepted_at: IsoTime.nullable().optional(),
  completed_at: IsoTime.nullable().optional(),
});
export type WireChallenge = z.infer<typeof WireChallenge>;

export const InviteFrame = z.object({ type: z.literal('new_challenge_invite'), payload: WireChallenge });
export const AcceptedFrame = z.object({
  type: z.literal('challenge_accepted'),
  payload: z.object({ challenge_id: Id, accepted_by: z.string().max(1000).nullable().optional() }),
});

export const ChallengePage = z.object({ count: z.number().optional(), next: z.string().nullable(), previous: z.string().nullable().optional(), results: z.array(z.unknown()) });

const nameOf = (u: WireUser | null | undefined, fallback: string): string => u?.full_name?.trim() || u?.username?.trim() || fallback;

const kindOf = (c: WireChallenge): string => c.challenge_type_display?.trim() || c.challenge_type?.trim() || 'Challenge';

/** The invite the opponent received. */
export function inviteEntry(c: WireChallenge): RemoteFeedEntry {
  return {
    remoteId: `invite:${c.id}`,
    type: 'challenge-invite',
    title: `${nameOf(c.challenger, 'Someone')} invited you to a challenge`,
    body: kindOf(c),
    payload: c,
    createdAt: Date.parse(c.created_at),
  };
}

export function acceptedEntry(challengeId: number, by: string, at: number, payload: unknown): RemoteFeedEntry {
  return { remoteId: `accepted:${challengeId}`, type: 'challenge-accepted', title: `${by} accepted your challenge`, body: '', payload, createdAt: at };
}

/**
 * What one row of the challenges list means for `userId`: its invite (when the user is the
 * opponent) and the notice of its outcome from the other side. A decline and a cancel carry no
 * time of their own: they take the time they were first seen (`now`).
 */
export function challengeEntries(c: WireChallenge, userId: number, now: number): RemoteFeedEntry[] {
  const out: RemoteFeedEntry[] = [];
  const mine = c.opponent?.id === userId;
  const sent = c.challenger?.id === userId;
  if (mine) out.push(inviteEntry(c));
  const type = kindOf(c);
  if (c.status === 'accepted' && sent) {
    const at = c.accepted_at ? Date.parse(c.accepted_at) : now;
    out.push({ ...acceptedEntry(c.id, nameOf(c.opponent, 'Your opponent'), at, c), body: type });
  } else if (c.status === 'declined' && sent) {
    out.push({ remoteId: `declined:${c.id}`, type: 'challenge-declined', title: `${nameOf(c.opponent, 'Your opponent')} declined your challenge`, body: type, payload: c, createdAt: now });
  } else if (c.status === 'cancelled' && mine) {
    out.push({ remoteId: `cancelled:${c.id}`, type: 'challenge-cancelled', title: `${nameOf(c.challenger, 'Someone')} cancelled their challenge`, body: type, payload: c, createdAt: now });
  }
  return out;
}
