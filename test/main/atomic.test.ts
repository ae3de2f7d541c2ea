// Atomic writes: readers see old or new content, never a partial file; temp files never linger.
import * as fsp from 'node:fs/promises';
import { mkdirSync, readFileSync, readdirSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMP_MARKER, atomicWriteFile, type AtomicFs } from '../../src/main/workspace/atomic';
import { tempDir } from './helpers';

const realFs: AtomicFs = { open: fsp.open, rename: fsp.rename, unlink: fsp.unlink, stat: fsp.stat };

describe('atomicWriteFile', () => {
  it('replaces the content and leaves only the target', async () => {
    const d = tempDir();
    const f = join(d, 'a.s');
    writeFileSync(f, 'old');
    await atomicWriteFile(f, 'new content');
    expect(readFileSync(f, 'utf8')).toBe('new content');
    expect(readdirSync(d)).toEqual(['a.s']);
  });

  it('keeps the old file intact and removes the temp file when the rename fails', async () => {
    const d = tempDir();
    const f = join(d, 'a.s');
    writeFileSync(f, 'old');
    const failing: AtomicFs = { ...realFs, rename: async () => { throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' }); } };
    await expect(atomicWriteFile(f, 'new', failing)).rejects.toThrow('simulated');
    expect(readFileSync(f, 'utf8')).toBe('old');
    expect(readdirSync(d)).toEqual(['a.s']);
  });

  it('removes the temp file when writing the data fails midway', async () => {
    const d = tempDir();
    const f = join(d, 'a.s');
    writeFileSync(f, 'old');
    const failing: AtomicFs = {
      ...realFs,
      open: (async (...args: Parameters<typeof fsp.open>) => {
        const fh = await fsp.open(...args);
        fh.writeFile = async () => { await fh.write('partial'); throw Object.assign(new Error('ENOSPC: disk full'), { code: 'ENOSPC' }); };
        return fh;
      }) as typeof fsp.open,
    };
    await expect(atomicWriteFile(f, 'new content', failing)).rejects.toThrow('disk full');
    expect(readFileSync(f, 'utf8')).toBe('old');
    expect(readdirSync(d)).toEqual(['a.s']);
  });

  it('fails without side effects when the target is a folder', async () => {
    const d = tempDir();
    mkdirSync(join(d, 'dir'));
    await expect(atomicWriteFile(join(d, 'dir'), 'x')).rejects.toThrow();
    expect(readdirSync(d)).toEqual(['dir']);
    expect(readdirSync(join(d, 'dir'))).toEqual([]);
  });

  it('keeps the permission bits of an existing file', async () => {
    const d = tempDir();
    const f = join(d, 'run.sh');
    writeFileSync(f, '#!/bin/sh\n');
    chmodSync(f, 0o751);
    await atomicWriteFile(f, '#!/bin/sh\necho hi\n');
    expect(statSync(f).mode & 0o777).toBe(0o751);
  });

  it('names temp files as hidden dot-files with the marker (so listings and the watcher skip them)', async () => {
    const d = tempDir();
    let seen = '';
    const spy: AtomicFs = { ...realFs, rename: async (from, to) => { seen = String(from); return fsp.rename(from, to); } };
    await atomicWriteFile(join(d, 'x.json'), '{}', spy);
    expect(seen.split('/').pop()!.startsWith('.x.json' + TEMP_MARKER)).toBe(true);
  });
});
