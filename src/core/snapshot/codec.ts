/**
 * The file form of a snapshot (`.dlsnap`): compact and self-describing.
 *
 *   bytes 0..7    magic "DLSNAP01"
 *   bytes 8..11   length J of the header (u32, little-endian)
 *   J bytes       header: UTF-8 JSON of the `MachineSnapshot` with every typed array's data
 *                 replaced by `{ "$blob": k, "bytes": n }`
 *   then          the blobs in order k = 0, 1, …; each is its bytes in 4 KiB chunks, preceded by
 *                 a chunk bitmap (⌈chunks / 8⌉ bytes, bit i = chunk i present); absent chunks are
 *                 all zeros (most of a machine's memory and disk are)
 *
 * Typed arrays are written with the host's byte order (little-endian on every host Node and
 * Electron run on); a big-endian host is refused when decoding.
 */
import { SNAPSHOT_FORMAT, SnapshotError, type MachineSnapshot } from './machine';
import type { TypedArray } from './graph';

const MAGIC = [0x44, 0x4c, 0x53, 0x4e, 0x41, 0x50, 0x30, 0x31]; // DLSNAP01
const CHUNK = 4096;

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) { const d = s.charCodeAt(i + 1); if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; } }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

function utf8Decode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length;) {
    const x = b[i++];
    let c: number;
    if (x < 0x80) c = x;
    else if (x < 0xe0) c = ((x & 31) << 6) | (b[i++] & 63);
    else if (x < 0xf0) { c = ((x & 15) << 12) | ((b[i] & 63) << 6) | (b[i + 1] & 63); i += 2; }
    else { c = ((x & 7) << 18) | ((b[i] & 63) << 12) | ((b[i + 1] & 63) << 6) | (b[i + 2] & 63); i += 3; }
    s += String.fromCodePoint(c);
  }
  return s;
}

/** Encodes a snapshot into its file form. */
export function encodeSnapshot(snap: MachineSnapshot): Uint8Array {
  const blobs: Uint8Array[] = [];
  const header = JSON.stringify(snap, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const t = v as TypedArray;
      blobs.push(new Uint8Array(t.buffer, t.byteOffset, t.byteLength));
      return { $blob: blobs.length - 1, bytes: t.byteLength };
    }
    return v;
  });
  const head = utf8Encode(header);
  const parts: Uint8Array[] = [new Uint8Array(MAGIC), u32(head.length), head];
  for (const b of blobs) {
    const chunks = Math.ceil(b.length / CHUNK);
    const bitmap = new Uint8Array(Math.ceil(chunks / 8));
    const present: Uint8Array[] = [];
    for (let i = 0; i < chunks; i++) {
      const c = b.subarray(i * CHUNK, Math.min(b.length, (i + 1) * CHUNK));
      if (!allZero(c)) { bitmap[i >> 3] |= 1 << (i & 7); present.push(c); }
    }
    parts.push(bitmap, ...present);
  }
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Decodes the file form; throws `SnapshotError` for anything that is not a well-formed snapshot file. */
export function decodeSnapshot(bytes: Uint8Array): MachineSnapshot {
  if (!littleEndian) throw new SnapshotError('snapshot files are read on little-endian hosts only');
  if (bytes.length < 12 || MAGIC.some((m, i) => bytes[i] !== m)) throw new SnapshotError('not a Disco Lab snapshot file (bad magic)');
  const hlen = bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (bytes[11] << 24);
  if (hlen < 0 || 12 + hlen > bytes.length) throw new SnapshotError('snapshot file cut short (header)');
  let pos = 12 + hlen;
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decode(bytes.subarray(12, 12 + hlen)));
  } catch (e) { throw new SnapshotError(`snapshot header is not JSON: ${(e as Error).message}`); }
  const snap = parsed as MachineSnapshot;
  if (snap === null || typeof snap !== 'object' || snap.format !== SNAPSHOT_FORMAT) throw new SnapshotError('snapshot header of another format');
  // blobs in order of their numbers
  const sizes: number[] = [];
  const walkBlobs = (v: unknown) => {
    if (v === null || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.$blob === 'number' && typeof o.bytes === 'number') { sizes[o.$blob] = o.bytes; return; }
    for (const k of Object.keys(o)) walkBlobs(o[k]);
  };
  walkBlobs(snap);
  const data: Uint8Array[] = [];
  for (let k = 0; k < sizes.length; k++) {
    const size = sizes[k];
    if (!(size >= 0)) throw new SnapshotError(`snapshot blob ${k} is missing`);
    const chunks = Math.ceil(size / CHUNK), bm = Math.ceil(chunks / 8);
    if (pos + bm > bytes.length) throw new SnapshotError('snapshot file cut short (blobs)');
    const bitmap = bytes.subarray(pos, pos + bm);
    pos += bm;
    const out = new Uint8Array(size);
    for (let i = 0; i < chunks; i++) {
      if ((bitmap[i >> 3] & (1 << (i & 7))) === 0) continue;
      const len = Math.min(CHUNK, size - i * CHUNK);
      if (pos + len > bytes.length) throw new SnapshotError('snapshot file cut short (blobs)');
      out.set(bytes.subarray(pos, pos + len), i * CHUNK);
      pos += len;
    }
    data.push(out);
  }
  // typed arrays back in place: every `{ $t, type, data: { $blob } }` node
  const fix = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) { for (const x of v) fix(x); return; }
    const o = v as Record<string, unknown>;
    if (typeof o.$t === 'number' && typeof o.type === 'string' && o.data !== null && typeof o.data === 'object') {
      const b = (o.data as { $blob: number }).$blob;
      o.data = typed(o.type, data[b]);
      return;
    }
    for (const k of Object.keys(o)) fix(o[k]);
  };
  fix(snap.graph);
  return snap;
}

const CTORS: Record<string, { new (b: ArrayBuffer): TypedArray; BYTES_PER_ELEMENT: number }> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
};

function typed(type: string, bytes: Uint8Array | undefined): TypedArray {
  const T = CTORS[type];
  if (!T || !bytes || bytes.length % T.BYTES_PER_ELEMENT !== 0) throw new SnapshotError(`bad typed array ${type} in the snapshot file`);
  const buf = new ArrayBuffer(bytes.length);
  new Uint8Array(buf).set(bytes);
  return new T(buf);
}

function u32(n: number): Uint8Array { return new Uint8Array([n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255]); }

function allZero(b: Uint8Array): boolean {
  if (b.byteOffset % 4 === 0 && b.length % 4 === 0) {
    const w = new Int32Array(b.buffer, b.byteOffset, b.length / 4);
    for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
    return true;
  }
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}
