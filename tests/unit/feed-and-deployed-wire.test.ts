// The fallbacks of two wire translations: the deployed portfolio site's conversations and
// messages (backends.md §1 "As deployed") and the challenge feed's entries (backends.md §3).
import { describe, expect, it } from 'vitest';
import { WireChallenge, acceptedEntry, challengeEntries } from '../../src/main/core/connectors/django-notifications/wire';
import { DeployedConversation, toRemoteConversation, toRemoteMessage } from '../../src/main/core/connectors/portfolio/deployed/wire';

describe('deployed portfolio wire', () => {
  const conv = (over: Record<string, unknown> = {}) =>
    DeployedConversation.parse({
      id: '12',
      visitorId: 'v-1',
      visitorName: 'Rina',
      visitorEmail: null,
      status: 'resolved',
      lastMessageAt: null,
      createdAt: '2026-11-30T07:00:00.000Z',
      updatedAt: '2026-12-01T07:00:00.000Z',
      messages: [{ id: 40, senderType: 'visitor', content: 'p'.repeat(220), createdAt: '2026-12-01T06:59:00.000Z' }],
      ...over,
    });

  it('a conversation’s last activity: lastMessageAt, else its newest embedded message, else none', () => {
    expect(toRemoteConversation(conv())).toEqual({
      remoteId: '12',
      visitorName: 'Rina',
      visitorEmail: null,
      serverStatus: 'resolved',
      createdAt: Date.parse('2026-11-30T07:00:00.000Z'),
      lastMessageAt: Date.parse('2026-12-01T06:59:00.000Z'),
      lastMessagePreview: 'p'.repeat(200),
    });
    expect(toRemoteConversation(conv({ lastMessageAt: '2026-12-01T07:00:00.000Z' })).lastMessageAt).toBe(Date.parse('2026-12-01T07:00:00.000Z'));
    const bare = toRemoteConversation(conv({ messages: undefined, visitorName: undefined, visitorEmail: undefined }));
    expect(bare).toMatchObject({ lastMessageAt: null, lastMessagePreview: null, visitorName: null, visitorEmail: null });
    const broken = toRemoteConversation(conv({ messages: [{ id: 'x' }] }));
    expect([broken.lastMessageAt, broken.lastMessagePreview]).toEqual([null, null]);
  });

  it('the owner’s messages carry no read state and no name; senders as strings', () => {
    const admin = toRemoteMessage({ id: 41, senderType: 'admin', senderId: 1, content: 'Halo', isRead: true, createdAt: '2026-12-01T07:01:00.000Z' });
    expect(admin).toEqual({ remoteId: '41', clientId: null, seq: 41, senderType: 'admin', senderId: '1', content: 'Halo', createdAt: Date.parse('2026-12-01T07:01:00.000Z'), readAt: null });
    expect(toRemoteMessage({ id: 42, senderType: 'visitor', content: 'x', isRead: false, createdAt: '2026-12-01T07:01:00.000Z' }).readAt).toBeNull();
  });
});

describe('challenge feed fallbacks', () => {
  const challenge = (over: Record<string, unknown> = {}) =>
    WireChallenge.parse({ id: 9, challenger: { id: 2, username: 'budi' }, opponent: { id: 5, username: 'eko' }, challenge_type: 'speed_run', challenge_type_display: null, status: 'pending_invite', created_at: '2026-12-01T10:00:00Z', ...over });
  const now = Date.parse('2026-12-01T12:00:00Z');

  it('the kind falls back to the type code, then to "Challenge"; names to "Someone" / "Your opponent"', () => {
    expect(challengeEntries(challenge(), 5, now)[0]!.body).toBe('speed_run');
    expect(challengeEntries(challenge({ challenge_type: ' ', challenge_type_display: '  ' }), 5, now)[0]!.body).toBe('Challenge');
    expect(challengeEntries(challenge({ challenger: { id: 2, username: ' ', full_name: null } }), 5, now)[0]!.title).toBe('Someone invited you to a challenge');
    expect(challengeEntries(challenge({ challenger: null, status: 'cancelled' }), 5, now).map((e) => e.title)).toEqual(['Someone invited you to a challenge', 'Someone cancelled their challenge']);
    const declined = challengeEntries(challenge({ status: 'declined', opponent: null }), 2, now);
    expect(declined).toEqual([{ remoteId: 'declined:9', type: 'challenge-declined', title: 'Your opponent declined your challenge', body: 'speed_run', payload: challenge({ status: 'declined', opponent: null }), createdAt: now }]);
  });

  it('an accept without its time takes the time it was seen; outcomes reach only their side', () => {
    const accepted = challengeEntries(challenge({ status: 'accepted' }), 2, now);
    expect(accepted).toEqual([{ remoteId: 'accepted:9', type: 'challenge-accepted', title: 'eko accepted your challenge', body: 'speed_run', payload: challenge({ status: 'accepted' }), createdAt: now }]);
    // The opponent is not told of their own accept or decline; the challenger not of their own cancel.
    expect(challengeEntries(challenge({ status: 'accepted' }), 5, now).map((e) => e.remoteId)).toEqual(['invite:9']);
    expect(challengeEntries(challenge({ status: 'declined' }), 5, now).map((e) => e.remoteId)).toEqual(['invite:9']);
    expect(challengeEntries(challenge({ status: 'cancelled' }), 2, now)).toEqual([]);
    expect(challengeEntries(challenge(), 99, now)).toEqual([]);
    expect(acceptedEntry(9, 'eko', 5, { x: 1 })).toEqual({ remoteId: 'accepted:9', type: 'challenge-accepted', title: 'eko accepted your challenge', body: '', payload: { x: 1 }, createdAt: 5 });
  });
});
