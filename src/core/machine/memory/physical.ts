/**
 * Machine physical memory (implements the `PhysicalMemoryView` contract): the nodes' memories
 * laid end to end, node n owning [n × nodeBytes, (n + 1) × nodeBytes). Words are kept in host
 * order in one Int32Array; big-endian sub-word access XORs the address (byte: `paddr ^ 3`,
 * half: `(paddr ^ 2) >> 1`), which is correct on little-endian hosts (every host Node runs on
 * that this project supports).
 */
import type { PhysicalMemoryView } from '../contracts';

export const PAGE_SHIFT = 12;
export const PAGE_BYTES = 1 << PAGE_SHIFT;
/** `writeBytes` and `readBytes` move runs of at least this many bytes natively (pages, sectors, images). */
const BULK_BYTES = 64;

export class PhysicalMemory implements PhysicalMemoryView {
  readonly bytes: number;
  readonly nodeBytes: number;
  readonly nodes: number;
  readonly words: Int32Array;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;

  constructor(nodes: number, nodeBytes: number) {
    if (nodes < 1 || nodeBytes <= 0 || nodeBytes % PAGE_BYTES !== 0) throw new Error(`bug: bad memory geometry ${nodes} × ${nodeBytes}`);
    this.nodes = nodes;
    this.nodeBytes = nodeBytes;
    this.bytes = nodes * nodeBytes;
    this.words = new Int32Array(this.bytes >>> 2);
    this.u8 = new Uint8Array(this.words.buffer);
    this.u16 = new Uint16Array(this.words.buffer);
  }

  /** Home node of a physical address (caller guarantees paddr < bytes). */
  nodeOf(paddr: number): number { return Math.floor((paddr >>> 0) / this.nodeBytes); }

  /** True when [paddr, paddr + length) lies inside RAM. */
  contains(paddr: number, length: number): boolean {
    const a = paddr >>> 0;
    return length >= 0 && a + length <= this.bytes;
  }

  get pages(): number { return this.bytes >>> PAGE_SHIFT; }

  read32(paddr: number): number { return this.words[paddr >>> 2] >>> 0; }
  write32(paddr: number, value: number): void { this.words[paddr >>> 2] = value | 0; }
  read8(paddr: number): number { return this.u8[(paddr ^ 3) >>> 0]; }
  write8(paddr: number, value: number): void { this.u8[(paddr ^ 3) >>> 0] = value; }

  /** Copies big-endian bytes (as they appear in a file or on disk) into RAM at `paddr`. */
  writeBytes(paddr: number, data: Uint8Array): void {
    if (!this.contains(paddr, data.length)) throw new Error(`bug: writeBytes out of RAM at 0x${(paddr >>> 0).toString(16)}+${data.length}`);
    const u8 = this.u8, words = this.words, n = data.length;
    let a = paddr >>> 0, i = 0;
    for (; i < n && (a & 3) !== 0; i++, a++) u8[a ^ 3] = data[i];
    // whole words (an image, a page, a disk sector): copy the bytes natively, then reverse them —
    // the whole run, then its words — which swaps the bytes of every word into host order. Three
    // native passes: fast even while this function still runs cold (a fresh process loads a
    // kernel image of 112 pages before V8 has compiled anything here).
    if (n - i >= BULK_BYTES) {
      const nw = (n - i) >>> 2, k = a >>> 2;
      u8.set(data.subarray(i, i + 4 * nw), a);
      u8.subarray(a, a + 4 * nw).reverse();
      words.subarray(k, k + nw).reverse();
      i += 4 * nw; a += 4 * nw;
    }
    // a few words: bytes b0..b3 are the word b0 << 24 | … | b3
    for (; i + 4 <= n; i += 4, a += 4) words[a >>> 2] = (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
    for (; i < n; i++, a++) u8[a ^ 3] = data[i];
  }

  /** Reads `length` big-endian bytes from RAM at `paddr`. */
  readBytes(paddr: number, length: number): Uint8Array {
    if (!this.contains(paddr, length)) throw new Error(`bug: readBytes out of RAM at 0x${(paddr >>> 0).toString(16)}+${length}`);
    const out = new Uint8Array(length);
    const u8 = this.u8, words = this.words;
    let a = paddr >>> 0, i = 0;
    for (; i < length && (a & 3) !== 0; i++, a++) out[i] = u8[a ^ 3];
    // whole words into an aligned part of `out`: as writeBytes, in reverse
    if (length - i >= BULK_BYTES && (i & 3) === 0) {
      const nw = (length - i) >>> 2;
      out.set(u8.subarray(a, a + 4 * nw), i);
      out.subarray(i, i + 4 * nw).reverse();
      new Int32Array(out.buffer, out.byteOffset + i, nw).reverse();
      i += 4 * nw; a += 4 * nw;
    }
    for (; i + 4 <= length; i += 4, a += 4) {
      const w = words[a >>> 2];
      out[i] = w >>> 24; out[i + 1] = w >>> 16; out[i + 2] = w >>> 8; out[i + 3] = w;
    }
    for (; i < length; i++, a++) out[i] = u8[a ^ 3];
    return out;
  }
}
