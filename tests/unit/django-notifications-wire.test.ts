// What the challenge list and the notification socket's frames become in the feed (backends.md §3).
import { describe, expect, it } from 'vitest';
import { AcceptedFrame, InviteFrame, WireChallenge, challengeEntries, inviteEntry } from '../../src/main/core/connectors/django-notifications/wire';

const user = (id: number, username: string, full_name = '') => ({ id, username, full_name, email: `${username}@example.com` });
const challenge = (over: Record<string, unknown> = {}) =>
  WireChallenge.parse({
    id: 7,
    challenger: user(2, 'budi', 'Budi Santoso'),
    opponent: user(5, 'eko', 'Eko'),
    challenge_type: 'quick_quant_10',
    challenge_type_display: 'Quick Quant Challenge (10 Q)',
    status: 'pending_invite',
    status_display: 'Pending Invite',
    created_at: '2026-12-01T10:00:00Z',
    accepted_at: null,
    ...over,
  });

describe('django-notifications wire', () => {
  it('an invite: a plain title naming the challenger, the challenge type as body, the payload kept, a stable id', () => {
    const e = inviteEntry(challenge());
    expect(e).toMatchObject({ remoteId: 'invite:7', type: 'challenge-invite', title: 'Budi Santoso invited you to a challenge', body: 'Quick Quant Challenge (10 Q)', createdAt: Date.parse('2026-12-01T10:00:00Z') });
    expect((e.payload as { id: number }).id).toBe(7);
    expect(inviteEntry(challenge({ challenger: user(2, 'budi') })).title).toBe('budi invited you to a challenge');
  });

  it('list rows: the opponent gets the invite (and a cancel); the challenger gets accepted/declined', () => {
    const now = Date.parse('2026-12-01T11:00:00Z');
    expect(challengeEntries(challenge(), 5, now).map((e) => e.remoteId)).toEqual(['invite:7']);
    expect(challengeEntries(challenge(), 2, now)).toEqual([]);
    expect(challengeEntries(challenge({ status: 'cancelled' }), 5, now).map((e) => [e.remoteId, e.title])).toEqual([
      ['invite:7', 'Budi Santoso invited you to a challenge'],
      ['cancelled:7', 'Budi Santoso cancelled their challenge'],
    ]);
    const accepted = challengeEntries(challenge({ status: 'accepted', accepted_at: '2026-12-01T10:30:00Z' }), 2, now);
    expect(accepted.map((e) => [e.remoteId, e.title, e.createdAt])).toEqual([['accepted:7', 'Eko accepted your challenge', Date.parse('2026-12-01T10:30:00Z')]]);
    expect(challengeEntries(challenge({ status: 'declined' }), 2, now).map((e) => [e.remoteId, e.title, e.createdAt])).toEqual([['declined:7', 'Eko declined your challenge', now]]);
  });

  it('frames: invites and accepts parse; anything else does not', () => {
    expect(InviteFrame.safeParse({ type: 'new_challenge_invite', payload: challenge() }).success).toBe(true);
    expect(AcceptedFrame.safeParse({ type: 'challenge_accepted', payload: { challenge_id: 7, accepted_by: 'eko' } }).success).toBe(true);
    expect(InviteFrame.safeParse({ type: 'new_challenge_invite', payload: { id: 'x' } }).success).toBe(false);
    expect(AcceptedFrame.safeParse({ type: 'challenge_accepted', payload: {} }).success).toBe(false);
  });
});
