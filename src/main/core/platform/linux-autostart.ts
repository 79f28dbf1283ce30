// Start at login on Linux, where Electron's setLoginItemSettings does nothing: an XDG
// autostart entry (~/.config/autostart/switchboard.desktop), as desktop environments expect.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AutostartOptions {
  /** $XDG_CONFIG_HOME or ~/.config */
  configDir: string;
  /** The command that starts the app (process.execPath, or $APPIMAGE for an AppImage). */
  exec: string;
}

const FILE = 'switchboard.desktop';

/** Desktop Entry Exec values need quoting when they contain spaces or specials. */
export function quoteExec(path: string): string {
  if (/^[\w/.+-]+$/.test(path)) return path;
  return `"${path.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartFile(options: AutostartOptions): string {
  return join(options.configDir, 'autostart', FILE);
}

export function setLinuxAutostart(options: AutostartOptions, enabled: boolean): void {
  const file = autostartFile(options);
  if (!enabled) {
    if (existsSync(file)) rmSync(file);
    return;
  }
  mkdirSync(join(options.configDir, 'autostart'), { recursive: true });
  writeFileSync(
    file,
    [
      '[Desktop Entry]',
      'Type=Application',
      'Name=Switchboard',
      'Comment=Live chat console for your website',
      `Exec=${quoteExec(options.exec)} --hidden`,
      'Icon=switchboard',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ].join('\n'),
  );
}

export function isLinuxAutostartEnabled(options: AutostartOptions): boolean {
  return existsSync(autostartFile(options));
}
