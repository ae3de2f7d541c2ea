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
 *   0   "DLG2"                    magic
 *   4   u32 checksum              FNV-1a (32-bit) of the bytes from offset 12 on, taken as
 *                                 little-endian 32-bit words (then the last 0–3 bytes one by one)
 *   8   u32 header length H
 *   12  header: ASCII JSON        the value, each Uint8Array replaced by {"\u0000b": i};
 *                                 `blobs`: [length, zeros] per blob (zeros = 1: all bytes 0,
 *                                 nothing stored — a `.bss`); `at`: the path (keys and array
 *                                 indices from the value down) of every {"\u0000b": i}, so that
 *                                 decoding visits those and not every element of the value
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

const MAGIC = 0x444c4732; // "DLG2"
const BLOB = '\u0000b';
const FNV_PRIME = 0x01000193;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The entry checksum: FNV-1a over `b[from..]` as little-endian 32-bit words, then the last 0–3
 * bytes one by one (a quarter of the multiplications of a byte-wise FNV-1a; each step is still
 * a bijection of the state, so any one changed word or byte changes the sum).
 */
function checksum(b: Uint8Array, from: number): number {
  let h = 0x811c9dc5 | 0;
  const nw = (b.length - from) >>> 2;
  if (nw > 0) {
    const off = b.byteOffset + from;
    const w = off % 4 === 0 ? new Int32Array(b.buffer, off, nw) : new Int32Array(b.slice(from, from + 4 * nw).buffer);
    if (LITTLE_ENDIAN) for (let i = 0; i < nw; i++) h = Math.imul(h ^ w[i], FNV_PRIME);
    else {
      for (let i = 0; i < nw; i++) {
        const x = w[i];
        h = Math.imul(h ^ ((x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)), FNV_PRIME);
      }
    }
  }
  for (let i = from + 4 * nw; i < b.length; i++) h = Math.imul(h ^ b[i], FNV_PRIME);
  return h >>> 0;
}

function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24; b[off + 1] = (v >>> 16) & 255; b[off + 2] = (v >>> 8) & 255; b[off + 3] = v & 255;
}
function get32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

/** Bytes → string, one character per byte (the header is ASCII). */
export type Latin1Decoder = (bytes: Uint8Array) => string;

function latin1Portable(b: Uint8Array): string {
  let text = '';
  for (let i = 0; i < b.length; i += 8192) text += String.fromCharCode.apply(null, b.subarray(i, Math.min(b.length, i + 8192)) as unknown as number[]);
  return text;
}

let latin1: Latin1Decoder = latin1Portable;

/**
 * A host's native decoder for entry headers (src/main/guest-cache.ts gives Node's
 * `Buffer#toString('latin1')`: ≈ 0.3 ms for a kernel entry's 240 KB header instead of 2–3 ms of
 * `String.fromCharCode` in a fresh process); undefined restores the portable one. It must give
 * exactly one UTF-16 unit per byte, of the byte's value.
 */
export function setLatin1Decoder(d: Latin1Decoder | undefined): void { latin1 = d ?? latin1Portable; }

const isZero = (b: Uint8Array): boolean => { for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false; return true; };

/** The entry bytes of a value (see the format above). */
export function encodeBuildValue(value: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  const index = new Map<Uint8Array, number>();
  // the path of each container being written (JSON.stringify visits a holder before its members)
  const paths = new Map<object, (string | number)[]>();
  const at: (string | number)[][] = [];
  let root = true;
  const body = JSON.stringify(value, function (this: unknown, k: string, v: unknown) {
    let path: (string | number)[];
    if (root) { root = false; path = []; } else path = [...paths.get(this as object)!, Array.isArray(this) ? Number(k) : k];
    if (v instanceof Uint8Array) {
      let i = index.get(v);
      if (i === undefined) { i = blobs.length; blobs.push(v); index.set(v, i); }
      at.push(path);
      const ref = { [BLOB]: i };
      paths.set(ref, path);
      return ref;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`bug: a guest build value holds ${v}`);
    if (v !== null && typeof v === 'object') paths.set(v, path);
    return v;
  });
  const zeros = blobs.map(isZero);
  // ASCII only: every other character as a \u escape, so the header is one byte per character
  const header = `{"v":${body},"blobs":${JSON.stringify(blobs.map((b, i) => [b.length, zeros[i] ? 1 : 0]))},"at":${JSON.stringify(at)}}`
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  let size = 12 + header.length;
  blobs.forEach((b, i) => { if (!zeros[i]) size += b.length; });
  const out = new Uint8Array(size);
  put32(out, 0, MAGIC);
  put32(out, 8, header.length);
  for (let i = 0; i < header.length; i++) out[12 + i] = header.charCodeAt(i);
  let off = 12 + header.length;
  blobs.forEach((b, i) => { if (!zeros[i]) { out.set(b, off); off += b.length; } });
  put32(out, 4, checksum(out, 12));
  return out;
}

/** The value of an entry, or undefined when the bytes are not a well-formed entry. */
export function decodeBuildValue(bytes: Uint8Array): unknown {
  try {
    if (bytes.length < 12 || get32(bytes, 0) !== MAGIC || get32(bytes, 4) !== checksum(bytes, 12)) return undefined;
    const h = get32(bytes, 8);
    if (12 + h > bytes.length) return undefined;
    const parsed = JSON.parse(latin1(bytes.subarray(12, 12 + h))) as { v: unknown; blobs: [number, number][]; at: (string | number)[][] };
    if (!Array.isArray(parsed.blobs) || !Array.isArray(parsed.at)) return undefined;
    let off = 12 + h;
    const blobs = parsed.blobs.map(([len, zero]) => {
      if (zero) return new Uint8Array(len);
      if (off + len > bytes.length) throw new Error('truncated');
      const b = bytes.slice(off, off + len);
      off += len;
      return b;
    });
    if (off !== bytes.length) return undefined;
    const blobOf = (ref: unknown): Uint8Array => {
      if (ref === null || typeof ref !== 'object' || !Object.prototype.hasOwnProperty.call(ref, BLOB)) throw new Error('not a blob reference');
      const b = blobs[(ref as Record<string, unknown>)[BLOB] as number];
      if (!b) throw new Error('no such blob');
      return b;
    };
    // put each blob where its reference is (`at`: their paths), without walking the rest
    let value = parsed.v;
    for (const path of parsed.at) {
      if (path.length === 0) { value = blobOf(value); continue; }
      let holder = value as Record<string | number, unknown>;
      for (let i = 0; i < path.length - 1; i++) holder = holder[path[i]] as Record<string | number, unknown>;
      const last = path[path.length - 1];
      holder[last] = blobOf(holder[last]);
    }
    return value;
  } catch {
    return undefined;
  }
}
