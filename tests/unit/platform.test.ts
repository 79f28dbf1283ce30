// Platform helpers in the core: switchboard:// links, Linux autostart entries, and reading
// GNOME's do-not-disturb through gsettings (a fake command runner: no desktop session here).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findDeepLink, parseDeepLink } from '../../src/main/core/platform/deep-link';
import { autostartFile, isLinuxAutostartEnabled, quoteExec, setLinuxAutostart } from '../../src/main/core/platform/linux-autostart';
import { GnomeDndProbe } from '../../src/main/core/platform/os-dnd';

describe('switchboard:// links', () => {
  it.each([
    ['switchboard://conversation/12', { kind: 'conversation', conversationId: 12 }],
    ['switchboard://conversation/12/', { kind: 'conversation', conversationId: 12 }],
    ['switchboard:conversation/7', { kind: 'conversation', conversationId: 7 }],
    ['switchboard://open', { kind: 'open' }],
    ['switchboard://', { kind: 'open' }],
  ])('%s', (url, expected) => expect(parseDeepLink(url)).toEqual(expected));

  it.each([
    'switchboard://conversation/0',
    'switchboard://conversation/-3',
    'switchboard://conversation/abc',
    'switchboard://conversation/1e3',
    'switchboard://conversation/12/delete',
    'switchboard://settings',
    'https://conversation/12',
    'javascript:alert(1)',
    `switchboard://conversation/${'1'.repeat(600)}`,
    'not a url',
  ])('refuses %s', (url) => expect(parseDeepLink(url)).toBeNull());

  it('finds the link among the arguments of a second launch', () => {
    expect(findDeepLink(['/opt/Switchboard/switchboard', '--no-sandbox', 'switchboard://conversation/5'])).toEqual({ kind: 'conversation', conversationId: 5 });
    expect(findDeepLink(['/opt/Switchboard/switchboard', '--hidden'])).toBeNull();
    expect(findDeepLink(['x', 'SWITCHBOARD://open'])).toEqual({ kind: 'open' });
  });
});

describe('Linux autostart', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const configDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'switchboard-autostart-'));
    dirs.push(d);
    return d;
  };

  it('writes an XDG autostart entry that starts hidden, and removes it', () => {
    const options = { configDir: configDir(), exec: '/opt/Switchboard/switchboard' };
    expect(isLinuxAutostartEnabled(options)).toBe(false);
    setLinuxAutostart(options, true);
    const text = readFileSync(autostartFile(options), 'utf8');
    expect(text).toContain('[Desktop Entry]');
    expect(text).toContain('Exec=/opt/Switchboard/switchboard --hidden');
    expect(isLinuxAutostartEnabled(options)).toBe(true);
    setLinuxAutostart(options, false);
    expect(existsSync(autostartFile(options))).toBe(false);
    setLinuxAutostart(options, false); // turning off twice is fine
  });

  it('quotes an executable path with spaces or shell characters', () => {
    expect(quoteExec('/home/ana/Apps/Switchboard 1.0.AppImage')).toBe('"/home/ana/Apps/Switchboard 1.0.AppImage"');
    expect(quoteExec('/tmp/a"b$c')).toBe('"/tmp/a\\"b\\$c"');
    expect(quoteExec('/usr/bin/switchboard')).toBe('/usr/bin/switchboard');
  });
});

describe('GNOME do-not-disturb', () => {
  const timers = { setTimeout: () => 0, clearTimeout: () => {} };
  it.each([
    ['false\n', true],
    ['true\n', false],
    ['garbage', null],
  ])('show-banners %j means DND %s', async (out, expected) => {
    const probe = new GnomeDndProbe({ run: async (file, args) => (file === 'gsettings' && args.includes('show-banners') ? out : ''), timers });
    expect(probe.isDoNotDisturb()).toBeNull();
    await probe.poll();
    expect(probe.isDoNotDisturb()).toBe(expected);
  });

  it('cannot tell without gsettings', async () => {
    const probe = new GnomeDndProbe({
      run: async () => {
        throw new Error('spawn gsettings ENOENT');
      },
      timers,
    });
    await probe.poll();
    expect(probe.isDoNotDisturb()).toBeNull();
  });
});
