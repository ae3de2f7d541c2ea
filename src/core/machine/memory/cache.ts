/**
 * Tags of one set-associative cache (no data: the simulator keeps data only in physical memory).
 * Each set keeps its ways in recency order, way 0 = most recently used, so LRU replacement is a
 * shift. Tags store `line + 1` (0 = invalid), where `line = paddr >>> lineShift`.
 */
export class CacheTags {
  readonly sets: number;
  readonly assoc: number;
  readonly lineShift: number;
  private readonly setMask: number;
  private readonly tags: Int32Array;

  constructor(sizeBytes: number, lineBytes: number, assoc: number) {
    this.assoc = assoc;
    this.lineShift = 31 - Math.clz32(lineBytes);
    this.sets = Math.max(1, sizeBytes / (lineBytes * assoc));
    this.setMask = this.sets - 1;
    this.tags = new Int32Array(this.sets * assoc);
  }

  /** True if `line` is present; a hit becomes the set's most recently used way. */
  lookup(line: number): boolean {
    const t = this.tags, a = this.assoc, base = (line & this.setMask) * a, key = (line + 1) | 0;
    if (t[base] === key) return true;
    for (let w = 1; w < a; w++) {
      if (t[base + w] === key) {
        for (let k = w; k > 0; k--) t[base + k] = t[base + k - 1];
        t[base] = key;
        return true;
      }
    }
    return false;
  }

  /** Presence test without touching recency. */
  has(line: number): boolean {
    const t = this.tags, a = this.assoc, base = (line & this.setMask) * a, key = (line + 1) | 0;
    for (let w = 0; w < a; w++) if (t[base + w] === key) return true;
    return false;
  }

  /** Inserts `line` (not present) as most recently used; returns the evicted line or -1. */
  insert(line: number): number {
    const t = this.tags, a = this.assoc, base = (line & this.setMask) * a;
    const victim = t[base + a - 1];
    for (let k = a - 1; k > 0; k--) t[base + k] = t[base + k - 1];
    t[base] = (line + 1) | 0;
    return victim - 1;
  }

  /** Removes `line` if present; returns whether it was. */
  remove(line: number): boolean {
    const t = this.tags, a = this.assoc, base = (line & this.setMask) * a, key = (line + 1) | 0;
    for (let w = 0; w < a; w++) {
      if (t[base + w] === key) {
        for (let k = w; k < a - 1; k++) t[base + k] = t[base + k + 1];
        t[base + a - 1] = 0;
        return true;
      }
    }
    return false;
  }

  clear(): void { this.tags.fill(0); }
}
