// The digest's HMAC test vectors (pusher-channels.md §3, §4), against our signing helpers, the
// official SDK, and the server's HTTP API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiStringToSign, md5Hex, signApiRequest, signChannel, signUser, startPusherServer, type PusherServerHandle } from '../src/index';
import { TEST_APP, sdkFor } from './helpers';

const { key, secret } = TEST_APP;

describe('signature test vectors', () => {
  it('private channel', () => {
    expect(signChannel(secret, '1234.1234', 'private-foobar')).toBe('58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4');
    expect(sdkFor(1).authorizeChannel('1234.1234', 'private-foobar').auth).toBe(
      `${key}:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4`,
    );
  });

  it('user sign-in', () => {
    expect(signUser(secret, '1234.1234', '{"id":"12345"}')).toBe('4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba');
    const r = sdkFor(1).authenticateUser('1234.1234', { id: '12345' });
    expect(r.auth).toBe(`${key}:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba`);
  });

  it('presence channel (channel_data signed byte for byte)', () => {
    const channelData = '{"user_id":10,"user_info":{"name":"Mr. Channels"}}';
    expect(signChannel(secret, '1234.1234', 'presence-foobar', channelData)).toBe(
      '31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80',
    );
    const r = sdkFor(1).authorizeChannel('1234.1234', 'presence-foobar', { user_id: 10 as unknown as string, user_info: { name: 'Mr. Channels' } });
    expect(r.channel_data).toBe(channelData);
    expect(r.auth).toBe(`${key}:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80`);
  });

  it('HTTP API request', () => {
    const body = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';
    expect(md5Hex(body)).toBe('ec365a775a4cd0599faeb73354201b6f');
    const params = { auth_key: key, auth_timestamp: '1353088179', auth_version: '1.0', body_md5: 'ec365a775a4cd0599faeb73354201b6f' };
    expect(apiStringToSign('POST', '/apps/3/events', params)).toBe(
      `POST\n/apps/3/events\nauth_key=${key}&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f`,
    );
    expect(signApiRequest(secret, 'POST', '/apps/3/events', params)).toBe('da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c');
  });
});

describe('HTTP API checks the vector request', () => {
  let server: PusherServerHandle;
  beforeAll(async () => {
    server = await startPusherServer({ port: 0, apps: [TEST_APP] });
  });
  afterAll(() => server.close());

  it('rejects the (correctly signed) vector request because its timestamp is from 2012', async () => {
    const body = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';
    const q = `auth_key=${key}&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c`;
    const res = await fetch(`${server.url}/apps/3/events?${q}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(/Timestamp expired/);
  });
});
