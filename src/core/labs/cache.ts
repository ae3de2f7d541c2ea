/**
 * What makes lab results reusable and splittable:
 *
 *   - `contentKey`: SHA-256 of everything a run's record depends on — the resolved experiment,
 *     its inputs (programs, kernels, disk images, sources) and the simulator's version — so a
 *     cached record is reused exactly when rerunning would reproduce it (runs are deterministic);
 *   - `shardOf`: the points shard K of N runs (point index mod N = K − 1), for array jobs;
 *   - `mergeShards`: the shards' records back into one set (each point exactly once).
 *
 * SHA-256 is written here (FIPS 180-4) because src/core uses no platform crypto.
 */
import type { LabPoint } from './expand';

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Streaming SHA-256. */
export class Sha256 {
  private readonly h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  private readonly block = new Uint8Array(64);
  private readonly w = new Uint32Array(64);
  private fill = 0;
  private bytes = 0;

  update(data: Uint8Array): this {
    for (let i = 0; i < data.length;) {
      const n = Math.min(64 - this.fill, data.length - i);
      this.block.set(data.subarray(i, i + n), this.fill);
      this.fill += n; i += n; this.bytes += n;
      if (this.fill === 64) { this.compress(); this.fill = 0; }
    }
    return this;
  }

  /** UTF-16 code units as little-endian byte pairs (exact, and cheaper than UTF-8 encoding). */
  updateString(s: string): this {
    const b = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); b[2 * i] = c & 0xff; b[2 * i + 1] = c >>> 8; }
    return this.update(b);
  }

  digestHex(): string {
    const bits = this.bytes * 8;
    const pad = new Uint8Array(((this.fill < 56 ? 56 : 120) - this.fill) + 8);
    pad[0] = 0x80;
    const hi = Math.floor(bits / 0x100000000), lo = bits >>> 0;
    const n = pad.length;
    pad[n - 8] = hi >>> 24; pad[n - 7] = hi >>> 16; pad[n - 6] = hi >>> 8; pad[n - 5] = hi;
    pad[n - 4] = lo >>> 24; pad[n - 3] = lo >>> 16; pad[n - 2] = lo >>> 8; pad[n - 1] = lo;
    this.update(pad);
    return Array.from(this.h, (x) => x.toString(16).padStart(8, '0')).join('');
  }

  private compress(): void {
    const w = this.w, b = this.block, h = this.h;
    for (let i = 0; i < 16; i++) w[i] = (b[4 * i] << 24) | (b[4 * i + 1] << 16) | (b[4 * i + 2] << 8) | b[4 * i + 3];
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15], y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += bb; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
}

/** Feeds a JSON-like value (objects with sorted keys, byte arrays as tagged bytes) into `h`. */
function feed(h: Sha256, v: unknown): void {
  if (v instanceof Uint8Array) { h.updateString(`b${v.length}:`); h.update(v); return; }
  if (Array.isArray(v)) { h.updateString(`a${v.length}[`); for (const x of v) feed(h, x); h.updateString(']'); return; }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
    h.updateString(`o${keys.length}{`);
    for (const k of keys) { h.updateString(`${JSON.stringify(k)}:`); feed(h, (v as Record<string, unknown>)[k]); }
    h.updateString('}');
    return;
  }
  h.updateString(`${typeof v}:${JSON.stringify(v)};`);
}

/** The content key of one run: SHA-256 over (the resolved experiment and its inputs, the simulator version). */
export function contentKey(run: unknown, simulatorVersion: string): string {
  const h = new Sha256();
  h.updateString(`disco-lab/run-key@1;${simulatorVersion};`);
  feed(h, run);
  return h.digestHex();
}

/** `K/N` (1 ≤ K ≤ N) → [K, N], or an error message. */
export function parseShard(text: string): { ok: true; k: number; n: number } | { ok: false; message: string } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return { ok: false, message: `--shard takes K/N (e.g. 2/8), got '${text}'` };
  const k = Number(m[1]), n = Number(m[2]);
  if (n < 1 || k < 1 || k > n || n > 100_000) return { ok: false, message: `--shard ${text}: need 1 ≤ K ≤ N` };
  return { ok: true, k, n };
}

/** The points shard K of N runs: every N-th point from the (K−1)-th (deterministic, balanced). */
export function shardOf(points: readonly LabPoint[], k: number, n: number): LabPoint[] {
  return points.filter((p) => p.index % n === k - 1);
}

/** A shard's output: the lab it belongs to, which shard, and its records by point id. */
export interface LabShard { schema: 'disco-lab/lab-shard@1'; lab: string; shard: string; points: number; records: Record<string, unknown> }

/** Merges shards of one lab into one record set; errors name conflicts, foreign labs and gaps. */
export function mergeShards(lab: string, points: readonly LabPoint[], shards: readonly LabShard[]): { ok: true; records: Map<string, unknown> } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const records = new Map<string, unknown>();
  for (const s of shards) {
    if (s.schema !== 'disco-lab/lab-shard@1') { errors.push(`${s.shard ?? '?'}: not a lab shard`); continue; }
    if (s.lab !== lab) { errors.push(`shard ${s.shard} belongs to lab '${s.lab}', not '${lab}'`); continue; }
    for (const [id, rec] of Object.entries(s.records)) {
      if (!points.some((p) => p.id === id)) { errors.push(`shard ${s.shard}: point '${id}' is not in the lab`); continue; }
      if (records.has(id)) { errors.push(`point '${id}' appears in more than one shard`); continue; }
      records.set(id, rec);
    }
  }
  const gaps = points.filter((p) => !records.has(p.id)).map((p) => p.id);
  if (gaps.length) errors.push(`no shard ran ${gaps.length} point(s): ${gaps.slice(0, 5).join('; ')}${gaps.length > 5 ? '; …' : ''}`);
  return errors.length ? { ok: false, errors } : { ok: true, records };
}
