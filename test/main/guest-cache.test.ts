/**
 * The guest build cache on disk (src/main/guest-cache.ts): where it lives per platform and with
 * DISCO_LAB_GUEST_CACHE, entries by version and key, atomic writes, corrupt entries ignored and
 * rebuilt, the size bound, and a cache that cannot be written never failing a build.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileGuestStore, guestBuilderVersion, guestCacheRoot, installGuestCache, nodeLatin1 } from '../../src/main/guest-cache';
import { decodeBuildValue, encodeBuildValue, setLatin1Decoder } from '../../src/core/guest/store';
import { clearGuestCache, guestCacheStats, guestKernel, setGuestBuildStore } from '../../src/core/guest/build';
import { GUEST } from '../core/guest/guest';

const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.s') ? [join(d, e.name)] : []));
const SOURCES: Record<string, string> = Object.fromEntries(walk(GUEST).map((f) => [relative(GUEST, f).split('\\').join('/'), readFileSync(f, 'utf8')]));
const KEY = (c: string) => c.repeat(64);

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'disco-guest-cache-')); clearGuestCache(); });
afterEach(() => { setGuestBuildStore(undefined); clearGuestCache(); rmSync(dir, { recursive: true, force: true }); });

describe('guestCacheRoot', () => {
  it('follows DISCO_LAB_GUEST_CACHE, then the platform\'s cache folder', () => {
    expect(guestCacheRoot({ DISCO_LAB_GUEST_CACHE: '/x/y' }, 'linux', '/home/u')).toBe('/x/y');
    expect(guestCacheRoot({ DISCO_LAB_GUEST_CACHE: 'off' }, 'linux', '/home/u')).toBeNull();
    expect(guestCacheRoot({}, 'linux', '/home/u')).toBe(join('/home/u', '.cache', 'disco-lab', 'guest'));
    expect(guestCacheRoot({ XDG_CACHE_HOME: '/c' }, 'linux', '/home/u')).toBe(join('/c', 'disco-lab', 'guest'));
    expect(guestCacheRoot({}, 'darwin', '/Users/u')).toBe(join('/Users/u', 'Library', 'Caches', 'disco-lab', 'guest'));
    expect(guestCacheRoot({ LOCALAPPDATA: 'C:/L' }, 'win32', 'C:/U')).toBe(join('C:/L', 'disco-lab', 'cache', 'guest'));
  });

  it('the builder version is a stable hash of the simulator\'s code', () => {
    expect(guestBuilderVersion()).toMatch(/^[0-9a-f]{16}$/);
    expect(guestBuilderVersion()).toBe(guestBuilderVersion());
  });
});

describe('entry headers decoded by Node', () => {
  afterEach(() => setLatin1Decoder(undefined));

  it('nodeLatin1 gives one character per byte, of the byte\'s value, at any offset', () => {
    const all = new Uint8Array(260).map((_, i) => i & 255);
    for (const [from, to] of [[0, 256], [3, 260], [1, 1]]) {
      const b = all.subarray(from, to);
      expect(nodeLatin1(b)).toBe(String.fromCharCode(...b));
    }
  });

  it('entries decode the same with the portable and the installed decoder', () => {
    const v = { t: 'ä € 𝄞 "q"', n: [1, 2.5, -3], b: new Uint8Array([1, 2, 3]), z: new Uint8Array(5000) };
    const e = encodeBuildValue(v);
    const portable = decodeBuildValue(e);
    setLatin1Decoder(nodeLatin1);
    expect(decodeBuildValue(e)).toEqual(portable);
    expect(portable).toEqual(v);
  });
});

describe('FileGuestStore', () => {
  it('keeps entries by version and key, written atomically (no temp file left)', () => {
    const a = new FileGuestStore(dir, { version: 'v1' });
    const b = new FileGuestStore(dir, { version: 'v2' });
    a.put(KEY('a'), new Uint8Array([1, 2, 3]));
    expect(a.get(KEY('a'))).toEqual(new Uint8Array([1, 2, 3]));
    expect(b.get(KEY('a'))).toBeUndefined();
    expect(a.get(KEY('b'))).toBeUndefined();
    expect(readdirSync(join(dir, 'v1'))).toEqual([KEY('a')]);
    a.put('../../etc/passwd', new Uint8Array([1])); // not a key: ignored
    expect(readdirSync(dir)).toEqual(['v1']);
  });

  it('removes the least recently used entries, of every version, beyond its size bound', () => {
    const old = new FileGuestStore(dir, { version: 'old', maxBytes: 2500 });
    old.put(KEY('1'), new Uint8Array(1000));
    const s = new FileGuestStore(dir, { version: 'new', maxBytes: 2500 });
    s.put(KEY('2'), new Uint8Array(1000));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'old', KEY('1')), past, past);
    utimesSync(join(dir, 'new', KEY('2')), new Date(Date.now() - 30_000), new Date(Date.now() - 30_000));
    expect(s.get(KEY('2'))).toBeDefined(); // a hit makes it the most recent
    s.put(KEY('3'), new Uint8Array(1000));
    expect(existsSync(join(dir, 'old'))).toBe(false); // its last entry went, and the folder with it
    expect(s.get(KEY('2'))).toBeDefined();
    expect(s.get(KEY('3'))).toBeDefined();
    s.put(KEY('4'), new Uint8Array(3000)); // larger than the bound: not kept
    expect(s.get(KEY('4'))).toBeUndefined();
  });

  it('an unwritable or missing root makes a miss, never an error', () => {
    writeFileSync(join(dir, 'file'), 'x');
    const s = new FileGuestStore(join(dir, 'file', 'sub'), { version: 'v' });
    expect(() => s.put(KEY('a'), new Uint8Array([1]))).not.toThrow();
    expect(s.get(KEY('a'))).toBeUndefined();
  });
});

describe('the guest build with the file cache', () => {
  it('a fresh process (empty in-process caches) reads the kernel back; a corrupt entry is rebuilt and rewritten', () => {
    const store = installGuestCache(dir)!;
    const k1 = guestKernel(SOURCES, 'kseg0');
    expect(guestCacheStats()).toEqual({ hits: 0, misses: 1, loaded: 0 });
    const files = readdirSync(join(dir, guestBuilderVersion()));
    expect(files).toHaveLength(1);
    clearGuestCache();
    const k2 = guestKernel(SOURCES, 'kseg0');
    expect(guestCacheStats()).toEqual({ hits: 0, misses: 0, loaded: 1 });
    expect(k2.ok && k1.ok && k2.value.load).toEqual(k1.ok && k1.value.load);
    const entry = join(store.root, guestBuilderVersion(), files[0]);
    const good = readFileSync(entry);
    writeFileSync(entry, good.subarray(0, good.length >> 1)); // truncated
    clearGuestCache();
    const k3 = guestKernel(SOURCES, 'kseg0');
    expect(guestCacheStats()).toEqual({ hits: 0, misses: 1, loaded: 0 });
    expect(k3.ok && k3.value.load).toEqual(k1.ok && k1.value.load);
    expect(readFileSync(entry).equals(good)).toBe(true);
  });

  it('DISCO_LAB_GUEST_CACHE=off installs no cache', () => {
    mkdirSync(join(dir, 'x'));
    expect(installGuestCache(null)).toBeUndefined();
    guestKernel(SOURCES, 'kseg0');
    expect(readdirSync(join(dir, 'x'))).toEqual([]);
  });
});
