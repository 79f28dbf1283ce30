// Where an account's sign-in is kept (a SecretStore, never SQLite) and how a connector renews it:
// one renewal at a time, saved at once, "Sign in again" when it cannot be renewed.
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { CredentialsVault, credentialString, type Credentials } from '../../src/main/core/connectors/credentials';
import type { SecretStore } from '../../src/main/core/settings/settings-store';

function memorySecrets(initial: Record<string, string> = {}): SecretStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    encrypted: true,
    get: (k) => data.get(k),
    set: (k, v) => void data.set(k, v),
    delete: (k) => void data.delete(k),
  };
}

describe('CredentialsVault', () => {
  it('keeps one JSON value per account and replaces the old single token', () => {
    const secrets = memorySecrets({ 'account:1:token': 'legacy' });
    const vault = new CredentialsVault(secrets);
    expect(vault.get(1)).toEqual({ token: 'legacy' });
    vault.set(1, { access: 'a', expiresAt: 5 });
    expect([...secrets.data.entries()]).toEqual([['account:1:credentials', '{"access":"a","expiresAt":5}']]);
    expect(vault.get(1)).toEqual({ access: 'a', expiresAt: 5 });
    expect(vault.get(2)).toBeUndefined();
    vault.delete(1);
    expect(secrets.data.size).toBe(0);
    const both = memorySecrets({ 'account:3:token': 't', 'account:3:credentials': '{"a":1}' });
    new CredentialsVault(both).delete(3);
    expect(both.data.size).toBe(0);
  });

  it('an unreadable or non-object value is no sign-in (and does not fall back to the old token)', () => {
    for (const raw of ['{not json', '[1,2]', '"text"', 'null', '42']) {
      const vault = new CredentialsVault(memorySecrets({ 'account:1:credentials': raw, 'account:1:token': 'legacy' }));
      expect(vault.get(1), raw).toBeUndefined();
    }
  });

  it('the port reads the vault and renews through the kind, saving the result; one renewal at a time', async () => {
    const secrets = memorySecrets();
    const vault = new CredentialsVault(secrets);
    vault.set(7, { refresh: 'r1' });
    const seen: Credentials[] = [];
    let release!: (c: Credentials) => void;
    const port = vault.port(7, (current) => {
      seen.push(current);
      return new Promise((r) => (release = r));
    });
    expect(port.current()).toEqual({ refresh: 'r1' });
    const a = port.refresh();
    const b = port.refresh();
    expect(a).toBe(b);
    release({ refresh: 'r2', access: 'a2' });
    expect(await a).toEqual({ refresh: 'r2', access: 'a2' });
    expect(seen).toEqual([{ refresh: 'r1' }]);
    expect(vault.get(7)).toEqual({ refresh: 'r2', access: 'a2' });
    // Once settled, the next refresh is a new renewal.
    const c = port.refresh();
    expect(c).not.toBe(a);
    release({ refresh: 'r3' });
    expect(await c).toEqual({ refresh: 'r3' });
    expect(seen).toHaveLength(2);
  });

  it('a renewal of the old sign-in is not shared with the new one, and does not overwrite it when it ends', async () => {
    const vault = new CredentialsVault(memorySecrets());
    vault.set(1, { refresh: 'old' });
    const renewals: { from: Credentials; settle: (c: Credentials | Error) => void }[] = [];
    const port = vault.port(1, (from) => new Promise((resolve, reject) => renewals.push({ from, settle: (c) => (c instanceof Error ? reject(c) : resolve(c)) })));
    const before = port.refresh();
    vault.set(1, { refresh: 'new' });
    const after = port.refresh();
    expect(after).not.toBe(before);
    expect(renewals.map((r) => r.from)).toEqual([{ refresh: 'old' }, { refresh: 'new' }]);
    renewals[1]!.settle({ refresh: 'new2' });
    expect(await after).toEqual({ refresh: 'new2' });
    // The old renewal succeeds late: the vault keeps the newer sign-in, and the old caller gets it.
    renewals[0]!.settle({ refresh: 'old2' });
    expect(await before).toEqual({ refresh: 'new2' });
    expect(vault.get(1)).toEqual({ refresh: 'new2' });
    // An old renewal refused late is the old caller's failure only.
    vault.set(1, { refresh: 'third' });
    const stale = port.refresh();
    vault.set(1, { refresh: 'fourth' });
    renewals[2]!.settle(new ConnectorError('auth', 'refused'));
    await expect(stale).rejects.toMatchObject({ kind: 'auth' });
    expect(vault.get(1)).toEqual({ refresh: 'fourth' });
  });

  it('a failed renewal is not saved and the next refresh tries again', async () => {
    const vault = new CredentialsVault(memorySecrets());
    vault.set(1, { refresh: 'r1' });
    let calls = 0;
    const port = vault.port(1, async () => {
      calls++;
      if (calls === 1) throw new ConnectorError('transient', 'down');
      return { refresh: 'r2' };
    });
    await expect(port.refresh()).rejects.toMatchObject({ kind: 'transient' });
    expect(vault.get(1)).toEqual({ refresh: 'r1' });
    expect(await port.refresh()).toEqual({ refresh: 'r2' });
    expect(calls).toBe(2);
  });

  it('nothing saved, or a kind that cannot renew: "Sign in again"', async () => {
    const vault = new CredentialsVault(memorySecrets());
    let renewed = 0;
    const none = vault.port(1, async () => (renewed++, {}));
    await expect(none.refresh()).rejects.toEqual(new ConnectorError('auth', 'Sign in again: this sign-in cannot be renewed.'));
    vault.set(2, { token: 't' });
    await expect(vault.port(2, undefined).refresh()).rejects.toMatchObject({ kind: 'auth' });
    expect(renewed).toBe(0);
  });

  it('credentialString reads only strings', () => {
    expect(credentialString({ a: 'x', n: 1, o: {} }, 'a')).toBe('x');
    expect(credentialString({ a: 'x', n: 1 }, 'n')).toBeUndefined();
    expect(credentialString(undefined, 'a')).toBeUndefined();
  });
});
