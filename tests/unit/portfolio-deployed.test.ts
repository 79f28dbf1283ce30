// Pure parts of the portfolio kind's as-deployed flavour: the session token (minting, expiry read
// from the token, a pasted cookie line), the per-status list merge and diff, the form's realtime
// settings and which sign-in the input asks for.
import { describe, expect, it } from 'vitest';
import { jwtVerify } from 'jose';
import { cookieTokenFrom, mintSessionToken, needsRenewal, readSessionToken } from '../../src/main/core/connectors/portfolio/deployed/session-token';
import { diffList, mergeStatusLists, type ListView } from '../../src/main/core/connectors/portfolio/deployed/list-diff';
import { deployedCredentialsFrom, pusherSettingsFrom, renewDeployedSession } from '../../src/main/core/connectors/portfolio/deployed/sign-in';
import { toRemoteMessage } from '../../src/main/core/connectors/portfolio/deployed/wire';
import { ConnectorError } from '../../src/main/core/connectors/connector';

const SECRET = 'site-secret-0123456789abcdef0123456789';
const NOW = Date.UTC(2026, 11, 1, 10);

describe('session token', () => {
  it('mints what the site signs: HS256 {userId}, one day, verifiable with the site secret', async () => {
    const { token, expiresAt } = await mintSessionToken(SECRET, 4, NOW);
    expect(expiresAt).toBe(NOW + 86_400_000);
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), { currentDate: new Date(NOW) });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toEqual({ userId: 4, iat: NOW / 1000, exp: NOW / 1000 + 86_400 });
  });

  it('reads the expiry and user from a token, and the token from a pasted cookie line', async () => {
    const { token } = await mintSessionToken(SECRET, 9, NOW);
    expect(readSessionToken(token)).toEqual({ userId: 9, expiresAt: NOW + 86_400_000 });
    expect(readSessionToken('not a token')).toBeNull();
    expect(cookieTokenFrom(`admin_session=${token}; Path=/; HttpOnly`)).toBe(token);
    expect(cookieTokenFrom(`  ${token} `)).toBe(token);
    expect(cookieTokenFrom(`theme=dark; admin_session=${token}`)).toBe(token);
  });

  it('renews a minted token in its last hour', () => {
    expect(needsRenewal(NOW + 2 * 3600_000, NOW)).toBe(false);
    expect(needsRenewal(NOW + 30 * 60_000, NOW)).toBe(true);
    expect(needsRenewal(null, NOW)).toBe(false);
  });
});

describe('sign-in input', () => {
  it('mints from the site secret and the admin user id, and keeps what renewing needs', async () => {
    const c = await deployedCredentialsFrom({ siteSecret: SECRET, adminUserId: '1' }, NOW);
    expect(c).toMatchObject({ siteSecret: SECRET, adminUserId: 1, expiresAt: NOW + 86_400_000 });
    const renewed = await renewDeployedSession(c, NOW + 3600_000);
    expect(renewed.expiresAt).toBe(NOW + 3600_000 + 86_400_000);
    expect(renewed.token).not.toBe(c.token);
  });

  it('takes a pasted cookie with its own expiry; refuses an expired one, a non-token and nothing at all', async () => {
    const { token } = await mintSessionToken(SECRET, 2, NOW);
    expect(await deployedCredentialsFrom({ sessionCookie: token }, NOW)).toEqual({ token, expiresAt: NOW + 86_400_000 });
    await expect(deployedCredentialsFrom({ sessionCookie: token }, NOW + 86_400_001)).rejects.toThrow(/expired/);
    await expect(deployedCredentialsFrom({ sessionCookie: 'hello' }, NOW)).rejects.toThrow(/not an admin_session/);
    await expect(deployedCredentialsFrom({}, NOW)).rejects.toThrow(/\/admin\/login/);
    await expect(deployedCredentialsFrom({ siteSecret: SECRET }, NOW)).rejects.toThrow(/admin user id/);
  });

  it('cannot renew a pasted cookie: the user signs in again', async () => {
    const { token } = await mintSessionToken(SECRET, 2, NOW);
    await expect(renewDeployedSession({ token, expiresAt: NOW }, NOW)).rejects.toBeInstanceOf(ConnectorError);
  });

  it('asks for the Pusher key and cluster, with a ws(s):// override for self-hosted servers', () => {
    expect(pusherSettingsFrom({ pusherKey: 'k', pusherCluster: 'ap1' })).toEqual({ key: 'k', cluster: 'ap1', forceTLS: true });
    expect(pusherSettingsFrom({ pusherKey: 'k', pusherCluster: 'mt1', pusherServer: 'ws://127.0.0.1:6001' })).toEqual({ key: 'k', cluster: 'mt1', forceTLS: false, wsHost: '127.0.0.1', wsPort: 6001 });
    expect(pusherSettingsFrom({ pusherKey: 'k', pusherCluster: 'mt1', pusherServer: 'wss://ws.example.com' })).toMatchObject({ forceTLS: true, wsHost: 'ws.example.com', wsPort: 443 });
    expect(() => pusherSettingsFrom({ pusherKey: 'k' })).toThrow(/Pusher key and cluster/);
  });
});

describe('lists without paging', () => {
  const c = (id: number, status: string, updatedAt: string, lastMessageAt: string | null = updatedAt, unreadCount = 0) => ({ id, status, updatedAt, lastMessageAt, unreadCount });

  it('merges the per-status lists by id; a conversation listed twice keeps its newest row', () => {
    const merged = mergeStatusLists([
      [c(1, 'active', '2026-12-01T10:00:00Z'), c(2, 'active', '2026-12-01T09:00:00Z')],
      [c(2, 'resolved', '2026-12-01T09:30:00Z')],
      [c(3, 'closed', '2026-11-30T09:00:00Z')],
    ]);
    expect(merged.map((x) => [x.id, x.status])).toEqual([
      [1, 'active'],
      [2, 'resolved'],
      [3, 'closed'],
    ]);
  });

  it('says which conversations need their history fetched and which only changed status', () => {
    const view = new Map<number, ListView>();
    expect(diffList(view, [c(1, 'active', 'a'), c(2, 'active', 'b')])).toEqual({ messagesChanged: [1, 2], rowChanged: [] });
    expect(diffList(view, [c(1, 'active', 'a'), c(2, 'active', 'b')])).toEqual({ messagesChanged: [], rowChanged: [] });
    expect(diffList(view, [c(1, 'resolved', 'a'), c(2, 'active', 'b', 'c'), c(3, 'active', 'd')])).toEqual({ messagesChanged: [2, 3], rowChanged: [1] });
    expect(diffList(view, [c(1, 'resolved', 'a', 'a', 2)])).toEqual({ messagesChanged: [1], rowChanged: [] });
  });
});

describe('wire', () => {
  it('shows the site\'s AI as "Assistant", never as the owner or the visitor, with no read receipts', () => {
    const m = toRemoteMessage({ id: 5, conversationId: 1, senderId: null, senderType: 'ai', content: 'Hi!', isRead: false, createdAt: '2026-12-01T10:00:00.000Z' });
    expect(m).toMatchObject({ remoteId: '5', senderType: 'ai', senderName: 'Assistant', readAt: null, clientId: null });
    const v = toRemoteMessage({ id: 6, senderType: 'visitor', content: 'x', isRead: true, createdAt: '2026-12-01T10:00:00.000Z' });
    expect(v.readAt).toBe(Date.parse('2026-12-01T10:00:00.000Z'));
  });
});
