// Issue #11.8: the packaged app is hardened too. The fuse settings live in one data module
// (scripts/electron-fuses.mjs); `npm run package` (scripts/package.mjs) packages with
// @electron/packager and flips exactly those fuses in every packaged binary. Electron cannot be
// downloaded here, so the packager is injected and the binaries are synthetic fuse wires.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FUSES, FUSE_INDEX, FUSE_SENTINEL, findFuseWires, flipFuseWires, flipFusesInFile, fuseFileFor, readFuses } from '../../scripts/electron-fuses.mjs';
import { PACKAGER, PACKAGER_VERSION, electronBinaryIn, ignored, loadPackager, packageApp, packagerOptions } from '../../scripts/package.mjs';
import { workerScript } from '../../src/main/worker-script';
import { pathToFileURL } from 'node:url';
import { tempDir } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');

/** A fake Electron binary: junk, the sentinel, version 1, `wire` ('0'/'1'/'r' per fuse), junk. */
function binary(wire = '10110010', copies = 1, version = 1): Uint8Array {
  const junk = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff));
  const parts: Buffer[] = [junk(1000)];
  for (let c = 0; c < copies; c++) parts.push(Buffer.from(FUSE_SENTINEL, 'latin1'), Buffer.from([version, wire.length]), Buffer.from(wire, 'latin1'), junk(500));
  return new Uint8Array(Buffer.concat(parts));
}

describe('fuse settings (scripts/electron-fuses.mjs)', () => {
  it('are the hardened set: no RunAsNode, NODE_OPTIONS or --inspect; cookie encryption, asar integrity, asar only', () => {
    expect(FUSES).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
    expect(Object.isFrozen(FUSES)).toBe(true);
    // positions of Electron's version-1 fuse wire
    expect(FUSE_INDEX).toMatchObject({ RunAsNode: 0, EnableCookieEncryption: 1, EnableNodeOptionsEnvironmentVariable: 2, EnableNodeCliInspectArguments: 3, EnableEmbeddedAsarIntegrityValidation: 4, OnlyLoadAppFromAsar: 5 });
  });
});

describe('fuse wire', () => {
  it('flips every fuse of the wire as configured and nothing else', () => {
    const b = binary('10110010' + '1');
    const before = b.slice();
    const { wires, warnings } = flipFuseWires(b);
    expect(warnings).toEqual([]);
    expect(wires).toHaveLength(1);
    expect(readFuses(b).fuses).toEqual({
      RunAsNode: 'disabled', EnableCookieEncryption: 'enabled', EnableNodeOptionsEnvironmentVariable: 'disabled', EnableNodeCliInspectArguments: 'disabled',
      EnableEmbeddedAsarIntegrityValidation: 'enabled', OnlyLoadAppFromAsar: 'enabled', LoadBrowserProcessSpecificV8Snapshot: 'disabled', GrantFileProtocolExtraPrivileges: 'disabled',
    });
    const changed = [...b].flatMap((x, i) => (x !== before[i] ? [i] : []));
    const start = findFuseWires(b)[0] + FUSE_SENTINEL.length + 2;
    expect(changed.every((i) => i >= start && i < start + 8)).toBe(true);
    expect(b[start + 8]).toBe(0x31); // a fuse this script does not know keeps its state
  });

  it('flips both wires of a universal macOS binary', () => {
    const b = binary('11111111', 2);
    flipFuseWires(b);
    for (const s of findFuseWires(b)) expect(Buffer.from(b.subarray(s + FUSE_SENTINEL.length + 2, s + FUSE_SENTINEL.length + 10)).toString('latin1')).toBe('01001100');
  });

  it('refuses binaries it cannot harden, before changing anything', () => {
    expect(() => flipFuseWires(new Uint8Array(100))).toThrow(/no Electron fuse wire/);
    expect(() => flipFuseWires(binary('10110010', 3))).toThrow(/3 fuse wires/);
    expect(() => flipFuseWires(binary('10110010', 1, 2))).toThrow(/version 2/);
    const short = binary('1011');
    const copy = short.slice();
    expect(() => flipFuseWires(short)).toThrow(/no fuse EnableEmbeddedAsarIntegrityValidation/);
    expect(short).toEqual(copy);
  });

  it('leaves a removed fuse alone, with a warning', () => {
    const b = binary('1011001r');
    expect(flipFuseWires(b).warnings).toEqual(['fuse GrantFileProtocolExtraPrivileges is removed in this Electron; not set']);
    expect(readFuses(b).fuses.GrantFileProtocolExtraPrivileges).toBe('removed');
  });

  it('flips a binary on disk, writing only the wire, and reads it back', async () => {
    const dir = tempDir();
    const f = join(dir, 'disco-lab');
    const b = binary();
    writeFileSync(f, b);
    const r = await flipFusesInFile(f);
    expect(r.wires).toBe(1);
    expect(r.fuses.RunAsNode).toBe('disabled');
    expect(r.fuses.OnlyLoadAppFromAsar).toBe('enabled');
    const after = new Uint8Array(readFileSync(f));
    expect(after.length).toBe(b.length);
    expect(readFuses(after).fuses).toEqual(r.fuses);
  });

  it('finds the fuse file of a macOS bundle', () => {
    const fw = 'Contents/Frameworks/Electron Framework.framework/Electron Framework';
    expect(fuseFileFor('/o/Disco Lab.app')).toBe(`/o/Disco Lab.app/${fw}`);
    expect(fuseFileFor('/o/Disco Lab.app/Contents/MacOS/Disco Lab')).toBe(`/o/Disco Lab.app/${fw}`);
    expect(fuseFileFor('/o/disco-lab')).toBe('/o/disco-lab');
  });
});

describe('npm run package (scripts/package.mjs)', () => {
  it('is the package script, run after a build', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.package).toBe('npm run build && node scripts/package.mjs');
  });

  it('packages into an asar with the worker and resources unpacked, without sources or tests', () => {
    const o = packagerOptions({ platform: 'linux', arch: 'x64' });
    expect(o).toMatchObject({ platform: 'linux', arch: 'x64', prune: true, asar: { unpackDir: '{out/run,resources}' } });
    for (const p of ['/src/main/index.ts', '/test/main/x.test.ts', '/e2e/a.spec.ts', '/docs/ui.md', '/scripts/package.mjs', '/out/web/server.js', '/out/cli/index.mjs', '/out/package/x', '/README.md', '/tsconfig.json', '/out/main/index.js.map']) {
      expect(ignored(p), p).toBe(true);
    }
    for (const p of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/out/run/worker.js', '/resources/examples/programs/hello.s', '/node_modules/zod/index.js']) {
      expect(ignored(p), p).toBe(false);
    }
  });

  it('flips the fuses of every packaged binary (and re-signs on macOS)', async () => {
    for (const [platform, bin] of [['linux', 'disco-lab'], ['win32', 'disco-lab.exe'], ['darwin', 'Disco Lab.app']] as const) {
      const packager = vi.fn(async (o: { platform: string; arch: string }) => [`/out/package/Disco Lab-${o.platform}-${o.arch}`]);
      const flip = vi.fn(async () => ({ warnings: [], fuses: {} }));
      const codesign = vi.fn();
      const r = await packageApp({ platform, arch: 'arm64' }, { packager, flip, codesign, log: () => {} });
      expect(packager).toHaveBeenCalledOnce();
      expect(flip).toHaveBeenCalledWith(join(`/out/package/Disco Lab-${platform}-arm64`, bin), FUSES);
      expect(codesign).toHaveBeenCalledTimes(platform === 'darwin' ? 1 : 0);
      expect(r).toHaveLength(1);
      expect(electronBinaryIn('/x', platform)).toBe(join('/x', bin));
    }
  });

  it('end to end on a fake packaged app: the binary on disk ends up with the hardened fuses', async () => {
    const dir = tempDir();
    const out = join(dir, 'Disco Lab-linux-x64');
    mkdirSync(out);
    writeFileSync(join(out, 'disco-lab'), binary('11111111'));
    const results = await packageApp({ platform: 'linux', arch: 'x64' }, { packager: async () => [out], log: () => {} });
    expect(readFuses(new Uint8Array(readFileSync(join(out, 'disco-lab')))).fuses).toMatchObject({ RunAsNode: 'disabled', EnableNodeOptionsEnvironmentVariable: 'disabled', EnableNodeCliInspectArguments: 'disabled', OnlyLoadAppFromAsar: 'enabled' });
    expect(results[0].fuses?.EnableCookieEncryption).toBe('enabled');
  });

  it('without @electron/packager it stops with the command that installs it', async () => {
    const missing = async () => { throw Object.assign(new Error(`Cannot find package '${PACKAGER}'`), { code: 'ERR_MODULE_NOT_FOUND' }); };
    await expect(loadPackager(missing)).rejects.toThrow(`npm install --save-dev ${PACKAGER}@${PACKAGER_VERSION}`);
    const fn = async () => ['x'];
    expect(await loadPackager(async () => ({ packager: fn }))).toBe(fn);
  });

  it('the packaged app starts run workers from the unpacked copy beside app.asar', () => {
    const here = join('/opt/Disco Lab/resources/app.asar/out/main');
    const unpacked = join('/opt/Disco Lab/resources/app.asar.unpacked/out/run/worker.js');
    const from = (dir: string) => pathToFileURL(join(dir, 'index.js')).href;
    expect(workerScript('worker', 'run/worker.ts', from(here), (p) => p === unpacked || p.includes('app.asar/'))).toBe(unpacked);
    expect(workerScript('worker', 'run/worker.ts', from('/repo/out/main'), (p) => p === join('/repo/out/run/worker.js'))).toBe(join('/repo/out/run/worker.js'));
  });
});
