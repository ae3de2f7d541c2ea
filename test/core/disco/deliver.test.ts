// guestPc: the pc a guest sees when the monitor delivers an exception. A kseg0-linked kernel runs
// through the alias at KSEG0_ALIAS; the guest must see its kseg0 address. The function uses int32
// arithmetic only (deliver.ts); this checks it against the plain unsigned definition at and
// around every boundary, for the largest alias a VM can have and for small ones.
import { describe, expect, it } from 'vitest';
import { guestPc } from '../../../src/core/disco/deliver';
import { KSEG0_ALIAS } from '../../../src/core/disco/vm';
import type { Vcpu } from '../../../src/core/disco/vcpu';

/** The definition: an address in [alias, alias + directBytes) maps to kseg0 at the same offset. */
function reference(directBase: number, directBytes: number, pc: number): number {
  const u = pc >>> 0;
  if (directBase === KSEG0_ALIAS && u >= KSEG0_ALIAS && u - KSEG0_ALIAS < directBytes) return (u - KSEG0_ALIAS + 0x80000000) | 0;
  return pc;
}

const vcpu = (directBase: number, directBytes: number) => ({ vm: { directBase, directBytes } }) as unknown as Vcpu;

describe('guestPc', () => {
  const sizes = [0x1ffff000, 0x0ffff000, 24 << 20, 4096, 0];
  const bases = [KSEG0_ALIAS, 0xc0000000];
  const pcs: number[] = [];
  for (const edge of [0, 0x7ffffffc, 0x80000000, 0xa0000000, 0xc0000000, KSEG0_ALIAS, 0xdffff000, 0xe0000000, 0xfffffffc, 0x30000000, 0x4ffff000]) {
    for (const d of [-8, -4, 0, 4, 8]) pcs.push(((edge + d) >>> 0) | 0);
  }
  for (const n of sizes) for (const d of [-4, 0, 4]) pcs.push(((KSEG0_ALIAS + n + d) >>> 0) | 0);

  it('maps exactly the alias range to kseg0 and leaves every other pc alone', () => {
    for (const base of bases) {
      for (const n of sizes) {
        const v = vcpu(base, n);
        for (const pc of pcs) expect(guestPc(v, pc), `base 0x${base.toString(16)} size 0x${n.toString(16)} pc 0x${(pc >>> 0).toString(16)}`).toBe(reference(base, n, pc));
      }
    }
  });

  it('gives the kseg0 address for an instruction in the alias', () => {
    expect(guestPc(vcpu(KSEG0_ALIAS, 24 << 20), (KSEG0_ALIAS + 0x1234) | 0) >>> 0).toBe(0x80001234);
    expect(guestPc(vcpu(KSEG0_ALIAS, 24 << 20), (KSEG0_ALIAS + (24 << 20)) | 0) >>> 0).toBe(KSEG0_ALIAS + (24 << 20));
  });
});
