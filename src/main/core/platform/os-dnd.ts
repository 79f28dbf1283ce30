// The OS do-not-disturb state, where it can be read without native code. GNOME keeps it in
// gsettings (show-banners = false while DND is on); macOS Focus and Windows Focus Assist
// offer no supported API to Electron apps, so those report "cannot tell" (null).
import { execFile } from 'node:child_process';
import type { Timers } from '../sync/timers';

export type RunCommand = (file: string, args: string[]) => Promise<string>;

export const runCommand: RunCommand = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 2000 }, (error, stdout) => (error ? reject(error) : resolve(String(stdout))));
  });

/** Polls gsettings; reading is async, so the last answer is kept and returned synchronously. */
export class GnomeDndProbe {
  private state: boolean | null = null;
  private handle: unknown;
  private stopped = false;

  constructor(
    private readonly deps: { run: RunCommand; timers: Timers; intervalMs?: number },
  ) {}

  isDoNotDisturb(): boolean | null {
    return this.state;
  }

  async poll(): Promise<void> {
    try {
      const out = (await this.deps.run('gsettings', ['get', 'org.gnome.desktop.notifications', 'show-banners'])).trim();
      this.state = out === 'false' ? true : out === 'true' ? false : null;
    } catch {
      this.state = null; // no gsettings, or no such key: not GNOME
    }
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      void this.poll().finally(() => {
        if (!this.stopped) this.handle = this.deps.timers.setTimeout(tick, this.deps.intervalMs ?? 30_000);
      });
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    this.deps.timers.clearTimeout(this.handle);
  }
}
