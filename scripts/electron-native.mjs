// Builds better-sqlite3 for Electron's ABI so `npm start` works with no manual step.
// Runs as npm postinstall (and `prestart` with --if-missing). The Node copy in node_modules is
// left alone (tests and browser mode use it); the Electron copy goes to
// build/electron-native/better_sqlite3.node, which src/main/shell/native-binding.ts loads.
// Never fails `npm install`: every problem is one warning with the manual command, exit 0.
//
//   node scripts/electron-native.mjs               build (or rebuild) the Electron addon
//   node scripts/electron-native.mjs --if-missing  only if it is missing or for another Electron
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'build', 'electron-native');
const srcDir = join(outDir, 'src');
const addon = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'stamp.json');
const ifMissing = process.argv.includes('--if-missing');
const require = createRequire(join(root, 'package.json'));
const MANUAL = 'node scripts/electron-native.mjs';

const say = (message) => console.log(`electron-native: ${message}`);
const skip = (reason) => {
  say(`skipped: ${reason}`);
  process.exit(0);
};
const warn = (message) => {
  console.warn(
    `electron-native: WARNING: ${message}\n` +
      `electron-native: the Electron app may fail to open its database until this succeeds; run "${MANUAL}" to retry ` +
      `(it needs network access to download Electron headers or a prebuilt addon, or a C++ toolchain).`,
  );
  process.exit(0);
};

const packageJson = (name) => {
  try {
    const file = require.resolve(`${name}/package.json`);
    return { dir: dirname(file), pkg: JSON.parse(readFileSync(file, 'utf8')) };
  } catch {
    return undefined;
  }
};

// An environment for building against Electron: npm's own build settings (this machine has
// nodedir=/usr, i.e. Node's headers) must not leak into a build for another runtime.
const LEAKY = /^npm_config_(nodedir|target|runtime|disturl|dist_url|build_from_source|devdir)$/i;
const buildEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !LEAKY.test(key)));

const binOf = (pkg, name) => (typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin?.[name] ?? 'bin.js'));

const run = (label, args, options = {}) => {
  say(`${label}: ${[relative(root, args[0]) || args[0], ...args.slice(1)].join(' ')}`);
  const result = spawnSync(process.execPath, args, {
    stdio: 'inherit',
    env: buildEnv,
    timeout: 15 * 60 * 1000,
    ...options,
  });
  if (result.error) say(`${label} failed: ${result.error.message}`);
  return result.status === 0;
};

function main() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) skip('ELECTRON_SKIP_BINARY_DOWNLOAD is set, so there is no Electron to build for.');
  const electron = packageJson('electron');
  if (!electron) skip('the electron package is not installed (production install?).');
  const sqlite = packageJson('better-sqlite3');
  if (!sqlite) skip('better-sqlite3 is not installed.');

  const arch = process.env.npm_config_arch || process.arch;
  const stamp = { electron: electron.pkg.version, betterSqlite3: sqlite.pkg.version, platform: process.platform, arch };
  if (ifMissing && existsSync(addon) && existsSync(stampFile)) {
    try {
      if (JSON.stringify(JSON.parse(readFileSync(stampFile, 'utf8'))) === JSON.stringify(stamp)) return;
    } catch {
      // A bad stamp means rebuild.
    }
  }

  // Electron 45 downloads its binary lazily; make sure it is there now, not on first start.
  // The addon build below does not need the binary, so a failure here is reported and we go on.
  if (!run('electron binary', [join(electron.dir, 'install.js')], { cwd: electron.dir })) {
    console.warn(`electron-native: WARNING: could not download the Electron binary; "npm start" will retry (or run "node node_modules/electron/install.js").`);
  }

  say(`building better-sqlite3 ${sqlite.pkg.version} for Electron ${electron.pkg.version} (${process.platform}-${arch})`);
  rmSync(srcDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const ownBuild = join(sqlite.dir, 'build');
  cpSync(sqlite.dir, srcDir, {
    recursive: true,
    filter: (source) => source !== ownBuild && !source.startsWith(ownBuild + sep),
  });

  const prebuild = packageJson('prebuild-install');
  let built =
    prebuild !== undefined &&
    run('prebuilt addon', [join(prebuild.dir, binOf(prebuild.pkg, 'prebuild-install')), '--runtime', 'electron', '--target', electron.pkg.version, '--arch', arch], {
      cwd: srcDir,
    });
  if (!built) {
    const gyp = packageJson('node-gyp');
    const gypBin = gyp ? join(gyp.dir, 'bin', 'node-gyp.js') : process.env.npm_config_node_gyp;
    if (!gypBin || !existsSync(gypBin)) warn('no prebuilt addon was available and node-gyp was not found to compile one.');
    built = run(
      'compile',
      [gypBin, 'rebuild', '--release', '--runtime=electron', `--target=${electron.pkg.version}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'],
      { cwd: srcDir },
    );
  }
  const result = join(srcDir, 'build', 'Release', 'better_sqlite3.node');
  if (!built || !existsSync(result)) warn('better-sqlite3 could not be built for Electron.');
  copyFileSync(result, addon);
  writeFileSync(stampFile, JSON.stringify(stamp));
  say(`ok: ${relative(root, addon)}`);
}

try {
  main();
} catch (error) {
  warn(error instanceof Error ? error.message : String(error));
}
