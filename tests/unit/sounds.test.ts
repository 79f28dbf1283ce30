// The committed notification sounds: present for every id the app offers, well-formed WAV that
// Chromium plays, audible without clipping or clicks, and exactly what the script makes today.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isNotificationSound, notificationSounds } from '../../src/shared/sounds';

const root = join(__dirname, '..', '..');
const soundsDir = join(root, 'resources', 'sounds');
const FULL_SCALE = 32768;

interface Wav {
  format: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  samples: Int16Array;
}

/** Walks the RIFF chunks instead of assuming a 44-byte header, so an odd layout is caught. */
function parseWav(bytes: Buffer): Wav {
  expect(bytes.toString('latin1', 0, 4)).toBe('RIFF');
  expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
  expect(bytes.toString('latin1', 8, 12)).toBe('WAVE');
  let fmt: Buffer | undefined;
  let data: Buffer | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const body = bytes.subarray(at + 8, at + 8 + size);
    expect(body.length, `chunk ${id} runs past the end`).toBe(size);
    if (id === 'fmt ') fmt = body;
    if (id === 'data') data = body;
    at += 8 + size + (size % 2);
  }
  if (!fmt || !data) throw new Error('missing fmt or data chunk');
  expect(data.length % 2).toBe(0);
  const samples = new Int16Array(data.length / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2);
  return {
    format: fmt.readUInt16LE(0),
    channels: fmt.readUInt16LE(2),
    sampleRate: fmt.readUInt32LE(4),
    byteRate: fmt.readUInt32LE(8),
    blockAlign: fmt.readUInt16LE(12),
    bitsPerSample: fmt.readUInt16LE(14),
    samples,
  };
}

const maxAbs = (samples: ArrayLike<number>): number => Array.from(samples).reduce((m, s) => Math.max(m, Math.abs(s)), 0);
const rms = (samples: Int16Array): number => Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / samples.length);
const load = (id: string): Wav => parseWav(readFileSync(join(soundsDir, `${id}.wav`)));

describe('notification sounds', () => {
  it('offers at least three sounds, each with its file, and no file without an id', () => {
    expect(notificationSounds.length).toBeGreaterThanOrEqual(3);
    expect(new Set(notificationSounds).size).toBe(notificationSounds.length);
    const files = readdirSync(soundsDir).filter((f) => f.endsWith('.wav'));
    expect(files.sort()).toEqual(notificationSounds.map((id) => `${id}.wav`).sort());
    expect(isNotificationSound('chime')).toBe(true);
    expect(isNotificationSound('../chime')).toBe(false);
    expect(isNotificationSound(undefined)).toBe(false);
  });

  it.each(notificationSounds)('%s is 16-bit PCM mono WAV at 44.1 kHz, 0.1-1 s long', (id) => {
    const wav = load(id);
    expect({
      format: wav.format,
      channels: wav.channels,
      sampleRate: wav.sampleRate,
      byteRate: wav.byteRate,
      blockAlign: wav.blockAlign,
      bitsPerSample: wav.bitsPerSample,
    }).toEqual({ format: 1, channels: 1, sampleRate: 44100, byteRate: 88200, blockAlign: 2, bitsPerSample: 16 });
    const seconds = wav.samples.length / wav.sampleRate;
    expect(seconds).toBeGreaterThanOrEqual(0.1);
    expect(seconds).toBeLessThanOrEqual(1);
  });

  it.each(notificationSounds)('%s is clearly audible, peaks near -3 dBFS and never clips', (id) => {
    const { samples } = load(id);
    expect(rms(samples) / FULL_SCALE).toBeGreaterThan(0.03); // about -30 dBFS
    const peak = maxAbs(samples);
    expect(peak).toBeLessThan(32767);
    expect(20 * Math.log10(peak / FULL_SCALE)).toBeCloseTo(-3, 0);
  });

  it.each(notificationSounds)('%s fades in from and out to silence (no click)', (id) => {
    const { samples } = load(id);
    const ms = 44; // about 1 ms of samples
    expect(Math.abs(samples[0] ?? FULL_SCALE)).toBeLessThanOrEqual(8);
    expect(Math.abs(samples[samples.length - 1] ?? FULL_SCALE)).toBeLessThanOrEqual(8);
    expect(maxAbs(samples.subarray(0, ms)) / FULL_SCALE).toBeLessThan(0.2);
    expect(maxAbs(samples.subarray(samples.length - ms)) / FULL_SCALE).toBeLessThan(0.01);
  });

  it('sound different from each other', () => {
    const all = notificationSounds.map((id) => readFileSync(join(soundsDir, `${id}.wav`)).toString('base64'));
    expect(new Set(all).size).toBe(all.length);
  });

  describe('regenerating', () => {
    const out = mkdtempSync(join(tmpdir(), 'switchboard-sounds-'));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('writes files byte-identical to the committed ones', () => {
      execFileSync(process.execPath, [join(root, 'scripts', 'make-sounds.mjs'), out], { stdio: 'pipe' });
      expect(readdirSync(out).sort()).toEqual(notificationSounds.map((id) => `${id}.wav`).sort());
      for (const id of notificationSounds) {
        const fresh = readFileSync(join(out, `${id}.wav`));
        const committed = readFileSync(join(soundsDir, `${id}.wav`));
        expect(fresh.equals(committed), `${id}.wav differs from a fresh run of make-sounds.mjs`).toBe(true);
      }
    });
  });
});
