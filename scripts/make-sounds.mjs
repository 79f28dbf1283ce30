// Synthesises Switchboard's notification sounds and writes them as WAV files (16-bit PCM, mono,
// 44.1 kHz: every Chromium build plays that in <audio>, no codec questions).
// Deterministic: only arithmetic on the sample index, no randomness, so the same script writes
// the same bytes and tests can check the committed files against a fresh run.
//   node scripts/make-sounds.mjs [output-dir]      (default: resources/sounds)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ? resolve(process.argv[2]) : join(root, 'resources', 'sounds');

const RATE = 44100;
const PEAK = 10 ** (-3 / 20); // -3 dBFS: loud enough to notice, with headroom for resampling
const FADE_IN = 0.003; // seconds; long enough to avoid a click, short enough to keep the attack
const FADE_OUT = 0.03;
const TAU = 2 * Math.PI;

// ---- Building blocks (t in seconds) ---------------------------------------------------------
/** A sine partial that starts at `start`, rises over `attack` and decays with time constant `decay`. */
const partial = (t, { freq, amp, decay, start = 0, attack = 0.004 }) => {
  const local = t - start;
  if (local < 0) return 0;
  const rise = local < attack ? local / attack : 1;
  return amp * rise * Math.exp(-local / decay) * Math.sin(TAU * freq * local);
};

/** Phase of a tone whose pitch glides exponentially from f0 to f1 with time constant `glide`. */
const glidePhase = (t, f0, f1, glide) => TAU * (f1 * t + (f0 - f1) * glide * (1 - Math.exp(-t / glide)));

// ---- The sounds -----------------------------------------------------------------------------
const sounds = {
  // Two soft notes a major third apart (G5, then B5), each with a quieter octave that fades first.
  chime: {
    duration: 0.8,
    voice: (t) =>
      [
        { start: 0, freq: 783.99 },
        { start: 0.11, freq: 987.77 },
      ].reduce(
        (sum, note) =>
          sum +
          partial(t, { ...note, amp: 1, decay: 0.22, attack: 0.006 }) +
          partial(t, { ...note, freq: note.freq * 2, amp: 0.18, decay: 0.09, attack: 0.006 }),
        0,
      ),
  },
  // A small struck bar: inharmonic partials 1, 2.76, 5.40 (a free bar's modes), the higher ones
  // brighter at the strike and gone sooner, which is what makes it sound like metal.
  bell: {
    duration: 0.9,
    voice: (t) =>
      partial(t, { freq: 660, amp: 1, decay: 0.3, attack: 0.002 }) +
      partial(t, { freq: 660 * 2.76, amp: 0.45, decay: 0.12, attack: 0.002 }) +
      partial(t, { freq: 660 * 5.4, amp: 0.22, decay: 0.05, attack: 0.002 }),
  },
  // A short blip whose pitch drops fast, like a bubble: one sine gliding from 1200 to 380 Hz.
  pop: {
    duration: 0.16,
    voice: (t) => {
      const rise = Math.min(1, t / 0.002);
      return rise * Math.exp(-t / 0.03) * Math.sin(glidePhase(t, 1200, 380, 0.025));
    },
  },
  // Two knocks on wood: low damped partials that die within tens of milliseconds, the second
  // knock a little softer, as a real double knock is.
  knock: {
    duration: 0.34,
    voice: (t) =>
      [
        { start: 0, gain: 1 },
        { start: 0.14, gain: 0.8 },
      ].reduce((sum, { start, gain }) => {
        const local = t - start;
        if (local < 0) return sum;
        const rise = Math.min(1, local / 0.0015);
        const body = Math.exp(-local / 0.035) * Math.sin(glidePhase(local, 240, 190, 0.02));
        const knock = 0.5 * Math.exp(-local / 0.012) * Math.sin(TAU * 520 * local);
        const tick = 0.15 * Math.exp(-local / 0.004) * Math.sin(TAU * 1450 * local);
        return sum + gain * rise * (body + knock + tick);
      }, 0),
  },
};

// ---- Rendering ------------------------------------------------------------------------------
function render({ duration, voice }) {
  const length = Math.round(duration * RATE);
  const samples = new Float64Array(length);
  for (let i = 0; i < length; i++) samples[i] = voice(i / RATE);
  // Raised-cosine fades pin the first and last samples to exactly zero: no click at either end.
  const fade = (n, at) => 0.5 - 0.5 * Math.cos((Math.PI * at) / n);
  const fadeIn = Math.round(FADE_IN * RATE);
  const fadeOut = Math.round(FADE_OUT * RATE);
  for (let i = 0; i < fadeIn; i++) samples[i] *= fade(fadeIn, i);
  for (let i = 0; i < fadeOut; i++) samples[length - 1 - i] *= fade(fadeOut, i);
  const peak = samples.reduce((max, s) => Math.max(max, Math.abs(s)), 0);
  const pcm = Buffer.alloc(length * 2);
  for (let i = 0; i < length; i++) pcm.writeInt16LE(Math.round((samples[i] / peak) * PEAK * 32767), i * 2);
  return pcm;
}

function wav(pcm) {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // bytes per frame
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

mkdirSync(out, { recursive: true });
for (const [name, sound] of Object.entries(sounds)) {
  const file = join(out, `${name}.wav`);
  writeFileSync(file, wav(render(sound)));
  console.log(`wrote ${relative(root, file) || file} (${sound.duration} s)`);
}
