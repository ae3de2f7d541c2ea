// Issue #11.7: a write killed between creating its temp file and renaming it left a hidden
// 1 MiB `.name.disco-tmp-<pid>-<hex>` file behind for ever. Opening the workspace now removes
// such stale temp files — and never one that a live write may still be using.
// Also: atomicCreateFile, the never-overwriting create that run records use.
import { spawnSync } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkspaceManager } from '../../src/main/service/manager';
import { atomicCreateFile, tempPathFor, type AtomicFs } from '../../src/main/workspace/atomic';
import { STALE_MAX_AGE_MS, TEMP_NAME, cleanStaleTempFiles } from '../../src/main/workspace/stale';
import { sandbox, tempDir } from './helpers';

const ago = (path: string, ms: number) => { const t = (Date.now() - ms) / 1000; utimesSync(path, t, t); };

describe('stale temp files', () => {
  it('a write killed mid-way leaves a temp file that the next open of the workspace removes', async () => {
    const { ws } = sandbox();
    // A process that starts an atomic write of 1 MiB and is killed before its rename.
    const script = `const fs = require('fs'); const t = ${JSON.stringify(join(ws, 'programs'))} + '/.big.s.disco-tmp-' + process.pid + '-0123abcd';
      fs.writeFileSync(t, Buffer.alloc(1 << 20, 65)); process.kill(process.pid, 'SIGKILL');`;
    const p = spawnSync(process.execPath, ['-e', script]);
    expect(p.signal).toBe('SIGKILL');
    const [temp] = readdirSync(join(ws, 'programs')).filter((n) => TEMP_NAME.test(n));
    expect(temp).toBeDefined();
    ago(join(ws, 'programs', temp), 120_000);
    const m = new WorkspaceManager(ws, () => {}, false);
    expect(await m.sweep).toEqual([`programs/${temp}`]);
    expect(existsSync(join(ws, 'programs', temp))).toBe(false);
    m.close();
  });

  it('keeps young temp files, those of live writers (unless a day old), other dot-files and links', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'runs'));
    const dead = 999_999_999;
    const files = {
      youngDead: `runs/.a.json.disco-tmp-${dead}-aa`,
      oldDead: `runs/.b.json.disco-tmp-${dead}-bb`,
      oldLive: `.c.s.disco-tmp-${process.pid}-cc`,
      ancientLive: `.d.s.disco-tmp-${process.pid}-dd`,
      notOurs: '.e.s.disco-tmp-notapid',
      dotfile: '.gitignore',
    };
    for (const f of Object.values(files)) writeFileSync(join(dir, f), 'x');
    ago(join(dir, files.oldDead), 120_000);
    ago(join(dir, files.oldLive), 120_000);
    ago(join(dir, files.ancientLive), STALE_MAX_AGE_MS + 60_000);
    ago(join(dir, files.notOurs), STALE_MAX_AGE_MS + 60_000);
    symlinkSync('/etc/hostname', join(dir, `.f.s.disco-tmp-${dead}-ff`));
    const removed = await cleanStaleTempFiles(dir, { alive: (pid) => pid === process.pid });
    expect(removed.sort()).toEqual([files.ancientLive, files.oldDead].sort());
    for (const f of [files.youngDead, files.oldLive, files.notOurs, files.dotfile]) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(existsSync(join(dir, `.f.s.disco-tmp-${dead}-ff`))).toBe(true);
  });

  it('the temp names atomic writes use are the ones the sweep recognises', () => {
    const name = tempPathFor('/w/programs/hello.s').split('/').pop()!;
    expect(TEMP_NAME.exec(name)?.[1]).toBe(String(process.pid));
  });
});

describe('atomicCreateFile', () => {
  const realFs: AtomicFs = { open: fsp.open, rename: fsp.rename, unlink: fsp.unlink, stat: fsp.stat, link: fsp.link };

  it('creates a new file and refuses an existing one (EEXIST), leaving no temp file', async () => {
    const dir = tempDir();
    await atomicCreateFile(join(dir, 'a.json'), 'one');
    await expect(atomicCreateFile(join(dir, 'a.json'), 'two')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('one');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('works where the file system has no hard links (exclusive create + rename)', async () => {
    const dir = tempDir();
    const noLinks: AtomicFs = { ...realFs, link: async () => { throw Object.assign(new Error('EPERM: simulated'), { code: 'EPERM' }); } };
    await atomicCreateFile(join(dir, 'b.json'), 'one', noLinks);
    await expect(atomicCreateFile(join(dir, 'b.json'), 'two', noLinks)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe('one');
    expect(readdirSync(dir)).toEqual(['b.json']);
  });
});
