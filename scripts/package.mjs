#!/usr/bin/env node
// `npm run package [-- --platform=linux|win32|darwin] [--arch=x64|arm64]`: packages the built app
// (out/) into out/package/<name>-<platform>-<arch>/ with @electron/packager — the app in an
// app.asar with its integrity hash embedded (macOS, Windows) — then flips the Electron fuses of
// scripts/electron-fuses.mjs in the packaged binary and reads them back.
//
// Uses @electron/packager (a devDependency, 18.4.x: 19+ needs Node ≥ 22.12), which downloads the
// Electron binary for the target — so packaging needs the internet, which the tests never do.
// Should the package be missing, this script stops with the command that installs it. Fuses need no package: the wire is flipped by
// electron-fuses.mjs (the format @electron/fuses writes). On macOS the bundle is then re-signed
// ad hoc (flipping invalidates the signature; arm64 will not run unsigned code); sign it properly
// for distribution afterwards.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUSES, flipFusesInFile } from './electron-fuses.mjs';

export const PACKAGER = '@electron/packager';
/** 18.4.x: the newest line that supports Node 20 (19+ needs Node ≥ 22.12). */
export const PACKAGER_VERSION = '18.4.4';
export const PRODUCT_NAME = 'Disco Lab';
export const EXECUTABLE_NAME = 'disco-lab';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Top-level paths of the repository that are not part of the app (packager paths start with '/'). */
const NOT_IN_APP = /^\/(src|test|e2e|docs|scripts|bin|\.ci|\.git|\.github|test-results|playwright-report|out\/(web|cli|package))(\/|$)/;

/** Whether the packager should leave `path` (relative to the app root, '/'-prefixed) out. */
export function ignored(path) {
  if (path === '/package.json') return false;
  return NOT_IN_APP.test(path) || /\.(map|ts|tsx)$/.test(path) || /^\/[^/]+\.(md|json5?)$/.test(path);
}

/** Options for @electron/packager: the app in an asar archive; the worker and resources unpacked. */
export function packagerOptions({ root = ROOT, out = join(ROOT, 'out', 'package'), platform = process.platform, arch = process.arch } = {}) {
  return {
    dir: root,
    out,
    platform,
    arch,
    name: PRODUCT_NAME,
    executableName: EXECUTABLE_NAME,
    appBundleId: 'org.disco-lab.app',
    overwrite: true,
    prune: true,
    derefSymlinks: true,
    ignore: ignored,
    // OnlyLoadAppFromAsar + asar integrity need the app in app.asar. Worker threads and the
    // example/guest files are read with plain fs calls, so they are unpacked beside it.
    asar: { unpackDir: '{out/run,resources}' },
  };
}

/** The file holding the fuse wire in one packaged app folder (see electron-fuses.mjs fuseFileFor). */
export function electronBinaryIn(appDir, platform) {
  if (platform === 'darwin' || platform === 'mas') return join(appDir, `${PRODUCT_NAME}.app`);
  if (platform === 'win32') return join(appDir, `${EXECUTABLE_NAME}.exe`);
  return join(appDir, EXECUTABLE_NAME);
}

/** Imports @electron/packager, or fails with the command that installs it. */
export async function loadPackager(importer = (name) => import(name)) {
  let m;
  try {
    m = await importer(PACKAGER);
  } catch (e) {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') {
      throw new Error(`npm run package needs ${PACKAGER}, which is not installed. Install it with:\n  npm install --save-dev ${PACKAGER}@${PACKAGER_VERSION}`);
    }
    throw e;
  }
  const fn = m.packager ?? m.default?.packager ?? m.default; // named export (ESM) or CommonJS
  if (typeof fn !== 'function') throw new Error(`${PACKAGER} has no packager() export (expected version ${PACKAGER_VERSION})`);
  return fn;
}

/**
 * Packages the app and hardens every packaged binary with FUSES. `deps` are injectable so tests
 * can check what would be done without Electron: packager, flip (flipFusesInFile), codesign, log.
 */
export async function packageApp(opts = {}, deps = {}) {
  const o = packagerOptions(opts);
  const packager = deps.packager ?? (await loadPackager());
  const flip = deps.flip ?? flipFusesInFile;
  const log = deps.log ?? console.log;
  const codesign = deps.codesign ?? adHocSign;
  const appPaths = await packager(o);
  const results = [];
  for (const dir of appPaths) {
    const binary = electronBinaryIn(dir, o.platform);
    const r = await flip(binary, FUSES);
    for (const w of r.warnings ?? []) log(`package: warning: ${w}`);
    if (o.platform === 'darwin' || o.platform === 'mas') codesign(binary);
    log(`package: ${dir}\n  fuses (${r.file ?? binary}): ${Object.entries(r.fuses ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    results.push({ dir, binary, fuses: r.fuses });
  }
  return results;
}

/** Ad-hoc re-signing of a macOS bundle after its fuses changed (as @electron/fuses does). */
function adHocSign(appBundle) {
  if (process.platform !== 'darwin') {
    console.log(`package: ${appBundle}: not re-signed (codesign runs on macOS only); sign it on a Mac before distribution`);
    return;
  }
  const r = spawnSync('codesign', ['--sign', '-', '--force', '--preserve-metadata=entitlements,requirements,flags,runtime', '--deep', appBundle], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`codesign failed (${r.status})`);
}

function parseArgs(argv) {
  const o = {};
  for (const a of argv) {
    const m = /^--(platform|arch|out)=(.+)$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}\nusage: npm run package [-- --platform=linux|win32|darwin] [--arch=x64|arm64] [--out=DIR]`);
    o[m[1]] = m[2];
  }
  return o;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    if (!existsSync(join(ROOT, 'out', 'main', 'index.js'))) throw new Error('the app is not built: run npm run build first');
    await packageApp(parseArgs(process.argv.slice(2)));
  } catch (e) {
    console.error(`package: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
