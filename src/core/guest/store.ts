/**
 * A host's persistent store of guest build outputs, and the byte format of its entries.
 *
 * The guest build (./build.ts) caches kernels, programs and disk images in this process only; a
 * fresh process — every `disco-lab run`, every run worker — would assemble the kernel and the
 * disk's programs again (0.2–0.6 s, as long as simulating a short workload). A host that can keep
 * files injects a `GuestBuildStore` (`setGuestBuildStore`); core stays platform-free and only
 * sees get/put of bytes by key. The key is the build's content hash (64 hex digits), so an entry
 * never goes stale for its inputs; a host must keep entries of different simulator versions
 * apart (the assembler may change), e.g. one folder per version (src/main/guest-cache.ts).
 *
 * Entry format (`encodeBuildValue` / `decodeBuildValue`), all words big-endian:
 *
 *   0   "DLG1"                    magic
 *   4   u32 checksum              FNV-1a (32-bit) of every byte from offset 12 on
 *   8   u32 header length H
 *   12  header: ASCII JSON        the value, each Uint8Array replaced by {"\u0000b": i}, and
 *                                 `blobs`: [length, zeros] per blob (zeros = 1: all bytes 0,
 *                                 nothing stored — a `.bss`)
 *   12+H the blobs' bytes, in order
 *
 * One Uint8Array object referenced twice (a kernel's image and load segments share theirs) is
 * one blob, and decodes to one object again. Values are plain data: objects, arrays, strings,
 * finite numbers, booleans, null and Uint8Array (`undefined` properties are dropped, as JSON
 * does). Anything malformed decodes to `undefined`: a corrupt entry is ignored and rebuilt.
 */

/** Bytes by key, synchronously (the build is synchronous). Errors must not escape: a store that fails is a store that misses. */
export interface GuestBuildStore {
  /** The entry's bytes, or undefined when absent (or unreadable). */
  get(key: string): Uint8Array | undefined;
  /** Saves an entry (best effort; may drop it, e.g. to stay within a size bound). */
  put(key: string, bytes: Uint8Array): void;
}

const MAGIC = 0x444c4731; // "DLG1"
const BLOB = '\u0000b';

function fnv1a(b: Uint8Array, from: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = from; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24; b[off + 1] = (v >>> 16) & 255; b[off + 2] = (v >>> 8) & 255; b[off + 3] = v & 255;
}
function get32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

const isZero = (b: Uint8Array): boolean => { for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false; return true; };

/** The entry bytes of a value (see the format above). */
export function encodeBuildValue(value: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  const index = new Map<Uint8Array, number>();
  const body = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Uint8Array) {
      let i = index.get(v);
      if (i === undefined) { i = blobs.length; blobs.push(v); index.set(v, i); }
      return { [BLOB]: i };
    }
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`bug: a guest build value holds ${v}`);
    return v;
  });
  const zeros = blobs.map(isZero);
  // ASCII only: every other character as a \u escape, so the header is one byte per character
  const header = `{"v":${body},"blobs":${JSON.stringify(blobs.map((b, i) => [b.length, zeros[i] ? 1 : 0]))}}`
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  let size = 12 + header.length;
  blobs.forEach((b, i) => { if (!zeros[i]) size += b.length; });
  const out = new Uint8Array(size);
  put32(out, 0, MAGIC);
  put32(out, 8, header.length);
  for (let i = 0; i < header.length; i++) out[12 + i] = header.charCodeAt(i);
  let off = 12 + header.length;
  blobs.forEach((b, i) => { if (!zeros[i]) { out.set(b, off); off += b.length; } });
  put32(out, 4, fnv1a(out, 12));
  return out;
}

/** The value of an entry, or undefined when the bytes are not a well-formed entry. */
export function decodeBuildValue(bytes: Uint8Array): unknown {
  try {
    if (bytes.length < 12 || get32(bytes, 0) !== MAGIC || get32(bytes, 4) !== fnv1a(bytes, 12)) return undefined;
    const h = get32(bytes, 8);
    if (12 + h > bytes.length) return undefined;
    let text = '';
    for (let i = 0; i < h; i += 8192) text += String.fromCharCode.apply(null, bytes.subarray(12 + i, 12 + Math.min(h, i + 8192)) as unknown as number[]);
    const parsed = JSON.parse(text) as { v: unknown; blobs: [number, number][] };
    if (!Array.isArray(parsed.blobs)) return undefined;
    let off = 12 + h;
    const blobs = parsed.blobs.map(([len, zero]) => {
      if (zero) return new Uint8Array(len);
      if (off + len > bytes.length) throw new Error('truncated');
      const b = bytes.slice(off, off + len);
      off += len;
      return b;
    });
    if (off !== bytes.length) return undefined;
    const revive = (v: unknown): unknown => {
      if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) v[i] = revive(v[i]); return v; }
      if (v !== null && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (BLOB in o) {
          const b = blobs[o[BLOB] as number];
          if (!b) throw new Error('no such blob');
          return b;
        }
        for (const k of Object.keys(o)) o[k] = revive(o[k]);
      }
      return v;
    };
    return revive(parsed.v);
  } catch {
    return undefined;
  }
}
