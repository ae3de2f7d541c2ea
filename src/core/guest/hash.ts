/**
 * SHA-256 (FIPS 180-4) over bytes and strings, in plain TypeScript: core has no `node:crypto`
 * and no Web Crypto in every host it runs in (and Web Crypto is asynchronous). Used for the
 * content-hash keys of the guest build cache (./build.ts); ~10 ms per MB in V8, cold (≈ 8 ms for
 * the guest sources in a fresh process).
 *
 * A host with a native SHA-256 may inject it (`setSha256Backend`; src/main/guest-cache.ts injects
 * node:crypto's): `keyHash()` then hashes through it, with the same bytes and therefore the same
 * digests as `Sha256` (strings holding any UTF-16 surrogate are encoded here, so a lone
 * surrogate hashes as this module encodes it, not as the host's encoder would replace it).
 */

/** UTF-8 bytes of a string (core has no TextEncoder in its lib). */
function utf8(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 3);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) { out[n++] = c; continue; }
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
    }
    if (c < 0x800) { out[n++] = 0xc0 | (c >> 6); out[n++] = 0x80 | (c & 63); }
    else if (c < 0x10000) { out[n++] = 0xe0 | (c >> 12); out[n++] = 0x80 | ((c >> 6) & 63); out[n++] = 0x80 | (c & 63); }
    else { out[n++] = 0xf0 | (c >> 18); out[n++] = 0x80 | ((c >> 12) & 63); out[n++] = 0x80 | ((c >> 6) & 63); out[n++] = 0x80 | (c & 63); }
  }
  return out.subarray(0, n);
}

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/**
 * An incremental SHA-256: `update` with any mix of byte arrays and strings (UTF-8), then
 * `hex()`. Strings and byte arrays are hashed as their bytes only, so callers that hash several
 * fields separate them themselves (`Sha256.field` does: a length prefix per field).
 */
export class Sha256 {
  private readonly h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  private readonly block = new Uint8Array(64);
  private readonly w = new Int32Array(64);
  private used = 0;
  private length = 0;

  update(data: Uint8Array | string): this {
    const b = typeof data === 'string' ? utf8(data) : data;
    this.length += b.length;
    let i = 0;
    while (i < b.length) {
      if (this.used === 0 && b.length - i >= 64) { this.compress(b, i); i += 64; continue; }
      const n = Math.min(64 - this.used, b.length - i);
      this.block.set(b.subarray(i, i + n), this.used);
      this.used += n;
      i += n;
      if (this.used === 64) { this.compress(this.block, 0); this.used = 0; }
    }
    return this;
  }

  /** One field of a composite key: its length (8 bytes) and then its bytes, so fields cannot run together. */
  field(data: Uint8Array | string): this {
    const b = typeof data === 'string' ? utf8(data) : data;
    const n = b.length;
    this.update(new Uint8Array([0, 0, 0, 0, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]));
    return this.update(b);
  }

  /** The digest as 64 lower-case hex digits (the hash cannot be updated afterwards). */
  hex(): string {
    const bits = this.length * 8;
    this.update(new Uint8Array([0x80]));
    while (this.used !== 56) this.update(new Uint8Array([0]));
    const hi = Math.floor(bits / 0x100000000), lo = bits >>> 0;
    this.update(new Uint8Array([hi >>> 24, (hi >>> 16) & 255, (hi >>> 8) & 255, hi & 255, lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255]));
    let s = '';
    for (const v of this.h) s += (v >>> 0).toString(16).padStart(8, '0');
    return s;
  }

  private compress(b: Uint8Array, o: number): void {
    const w = this.w, h = this.h;
    for (let t = 0; t < 16; t++) w[t] = (b[o + 4 * t] << 24) | (b[o + 4 * t + 1] << 16) | (b[o + 4 * t + 2] << 8) | b[o + 4 * t + 3];
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15], y = w[t - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
    }
    let a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[t] + w[t]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & bb) ^ (a & c) ^ (bb & c);
      const t2 = (S0 + maj) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
    }
    h[0] = (h[0] + a) | 0; h[1] = (h[1] + bb) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + hh) | 0;
  }
}

/** What `keyHash()` returns: `Sha256`'s interface (update, length-prefixed fields, hex digest). */
export interface KeyHasher {
  update(data: Uint8Array | string): this;
  field(data: Uint8Array | string): this;
  hex(): string;
}

/**
 * A host's native SHA-256 (see the module comment). Strings given to it contain no surrogates
 * (U+D800–U+DFFF), so any UTF-8 encoder gives the bytes `Sha256` hashes.
 */
export interface Sha256Backend {
  /** A fresh incremental SHA-256. */
  create(): { update(data: Uint8Array | string): void; hex(): string };
  /** The UTF-8 length in bytes of a string without surrogates. */
  utf8Length(s: string): number;
}

let backend: Sha256Backend | undefined;

/** Installs (or, with undefined, removes) the host's native SHA-256 for `keyHash()`. */
export function setSha256Backend(b: Sha256Backend | undefined): void { backend = b; }

const SURROGATE = /[\ud800-\udfff]/;

/** `Sha256`'s framing and digests over a host's native SHA-256. */
class BackendHash implements KeyHasher {
  private readonly h: ReturnType<Sha256Backend['create']>;
  constructor(private readonly b: Sha256Backend) { this.h = b.create(); }

  update(data: Uint8Array | string): this {
    this.h.update(typeof data === 'string' && SURROGATE.test(data) ? utf8(data) : data);
    return this;
  }

  field(data: Uint8Array | string): this {
    const d = typeof data === 'string' && SURROGATE.test(data) ? utf8(data) : data;
    const n = typeof d === 'string' ? this.b.utf8Length(d) : d.length;
    this.h.update(new Uint8Array([0, 0, 0, 0, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]));
    this.h.update(d);
    return this;
  }

  hex(): string { return this.h.hex(); }
}

/** An incremental SHA-256 for cache keys: the host's native one if injected, else `Sha256` (same digests). */
export function keyHash(): KeyHasher { return backend ? new BackendHash(backend) : new Sha256(); }

/** SHA-256 of bytes or a string (UTF-8), as hex. */
export function sha256(data: Uint8Array | string): string {
  return new Sha256().update(data).hex();
}
