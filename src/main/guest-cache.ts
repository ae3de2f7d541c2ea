/**
 * The guest build cache on disk: the host side of core's `GuestBuildStore`
 * (src/core/guest/store.ts). A fresh process — each `disco-lab run`, each run worker of the app
 * and of `disco-lab lab` — would otherwise assemble the guest kernel and the disk's programs
 * again (0.2–0.6 s); with it, it reads them (a few ms).
 *
 * Where: `DISCO_LAB_GUEST_CACHE` if set (`off` disables the cache), else the user's cache folder:
 * `$XDG_CACHE_HOME/disco-lab/guest` (default `~/.cache/disco-lab/guest`) on Linux and other
 * Unixes, `~/Library/Caches/disco-lab/guest` on macOS, `%LOCALAPPDATA%\disco-lab\cache\guest` on
 * Windows. Deleting the folder clears it. Layout: `<root>/<version>/<key>`, where `version` is a
 * hash of the simulator's code (the run worker bundle, or every file of src/core when running
 * from source), so a changed assembler never reads another version's entries, and `key` is the
 * build's content hash (64 hex digits).
 *
 * Writes are atomic (a temp file renamed over the entry; readers see a whole entry or none) and
 * best effort: an unwritable folder makes the cache miss, never a run fail. Entries carry a
 * checksum, so a corrupt one is ignored and rebuilt. A hit refreshes the entry's mtime; after a
 * write, the least recently used entries (of every version) are removed while the whole cache
 * holds more than `maxBytes` (default 64 MiB).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setGuestBuildStore, type GuestBuildStore } from '../core/guest/build';
import { setSha256Backend, type Sha256Backend } from '../core/guest/hash';
import { setLatin1Decoder } from '../core/guest/store';
import { TEMP_MARKER } from './workspace/atomic';
import { workerScript } from './worker-script';

export const DEFAULT_GUEST_CACHE_BYTES = 64 * 1024 * 1024;
const KEY = /^[0-9a-f]{64}$/;

/** The cache's root folder for this user and platform, or null when `DISCO_LAB_GUEST_CACHE=off`. */
export function guestCacheRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string | null {
  const set = env.DISCO_LAB_GUEST_CACHE;
  if (set !== undefined && set !== '') return set === 'off' ? null : set;
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'disco-lab', 'cache', 'guest');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'disco-lab', 'guest');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'disco-lab', 'guest');
}

let version: string | undefined;

/**
 * A hash of the code that builds the guest: the run worker bundle when the host runs built
 * (the CLI and the workers find the same file; another bundle without one beside it hashes
 * itself), else every `.ts` file of src/core.
 */
export function guestBuilderVersion(): string {
  if (version) return version;
  const h = createHash('sha256');
  const script = workerScript('worker', 'run/worker.ts', import.meta.url);
  if (typeof script === 'string') {
    try { h.update(readFileSync(script)); } catch { h.update(readFileSync(fileURLToPath(import.meta.url))); }
  } else {
    const core = join(dirname(fileURLToPath(import.meta.url)), '..', 'core');
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []));
    for (const f of walk(core)) { h.update(f.slice(core.length)); h.update(readFileSync(f)); }
  }
  return (version = h.digest('hex').slice(0, 16));
}

/** A folder of entries `<root>/<version>/<key>` (see the module comment). */
export class FileGuestStore implements GuestBuildStore {
  private readonly maxBytes: number;
  private readonly versionOf: () => string;

  constructor(readonly root: string, opts: { maxBytes?: number; version?: string | (() => string) } = {}) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_GUEST_CACHE_BYTES;
    const v = opts.version ?? guestBuilderVersion;
    this.versionOf = typeof v === 'string' ? () => v : v;
  }

  private path(key: string): string | undefined {
    return KEY.test(key) ? join(this.root, this.versionOf(), key) : undefined;
  }

  get(key: string): Uint8Array | undefined {
    const p = this.path(key);
    if (!p) return undefined;
    try {
      const b = readFileSync(p);
      try { const now = new Date(); utimesSync(p, now, now); } catch { /* read-only cache: fine */ }
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch {
      return undefined;
    }
  }

  put(key: string, bytes: Uint8Array): void {
    const p = this.path(key);
    if (!p || bytes.length > this.maxBytes) return;
    const tmp = join(dirname(p), `.${key}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(tmp, bytes, { flag: 'wx' });
      renameSync(tmp, p);
    } catch {
      try { unlinkSync(tmp); } catch { /* never created */ }
      return;
    }
    this.prune();
  }

  /** Removes the least recently used entries (and temp files older than a minute) while the cache is over its bound. */
  prune(): void {
    const entries: { path: string; size: number; mtime: number }[] = [];
    let total = 0;
    let dirs: string[];
    try { dirs = readdirSync(this.root); } catch { return; }
    const now = Date.now();
    for (const d of dirs) {
      let names: string[];
      try { names = readdirSync(join(this.root, d)); } catch { continue; }
      for (const n of names) {
        const path = join(this.root, d, n);
        try {
          const s = statSync(path);
          if (!s.isFile()) continue;
          if (n.includes(TEMP_MARKER)) { if (now - s.mtimeMs > 60_000) unlinkSync(path); continue; }
          entries.push({ path, size: s.size, mtime: s.mtimeMs });
          total += s.size;
        } catch { /* removed meanwhile */ }
      }
    }
    if (total <= this.maxBytes) return;
    entries.sort((a, b) => a.mtime - b.mtime);
    for (const e of entries) {
      if (total <= this.maxBytes) break;
      try { unlinkSync(e.path); total -= e.size; } catch { /* another process removed it */ }
      try { rmdirSync(dirname(e.path)); } catch { /* not empty */ }
    }
  }
}

/**
 * node:crypto's SHA-256 for core's build keys (core/guest/hash.ts `setSha256Backend`): the guest
 * sources' key in ≈ 0.5 ms instead of ≈ 8 ms of cold TypeScript per fresh process; same digests.
 */
export const nodeSha256: Sha256Backend = {
  create: () => {
    const h = createHash('sha256');
    return { update: (d: Uint8Array | string) => { h.update(d); }, hex: () => h.digest('hex') };
  },
  utf8Length: (s: string) => Buffer.byteLength(s, 'utf8'),
};

/** Node's latin1 decoding for the cache entries' headers (core/guest/store.ts `setLatin1Decoder`). */
export const nodeLatin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/**
 * Gives core's guest build this host's cache (once per thread: the CLI process, each run worker),
 * node:crypto's SHA-256 for its keys (whether or not the cache is on) and Node's latin1 decoder for
 * the entries' headers. Returns the store, or
 * undefined when the cache is off.
 */
export function installGuestCache(root: string | null = guestCacheRoot()): FileGuestStore | undefined {
  setSha256Backend(nodeSha256);
  setLatin1Decoder(nodeLatin1);
  const store = root ? new FileGuestStore(root) : undefined;
  setGuestBuildStore(store);
  return store;
}
