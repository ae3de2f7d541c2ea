/** The emulation table covers the ISA table's privileged instructions exactly; the virtual CP0 masks match the hardware's. */
import { describe, expect, it } from 'vitest';
import { INSTRUCTIONS } from '../../../src/core/isa/table';
import { EMULATIONS } from '../../../src/core/disco/emulate/table';
import { CP0_REGS } from '../../../src/core/machine/cpu/cp0-regs';
import { COST_PARAMS, DEFAULT_COSTS, resolveCosts, unknownCostNames } from '../../../src/core/disco/cost-model';
import { L2Tlb } from '../../../src/core/disco/l2tlb';
import { Pmap } from '../../../src/core/disco/pmap';
import { C0 } from '../../../src/core/machine/cpu/cp0';

describe('privileged-instruction emulation table', () => {
  it('has a row for every privileged ISA entry and nothing else', () => {
    const priv = INSTRUCTIONS.filter((i) => i.privileged).map((i) => i.mnemonic).sort();
    expect(Object.keys(EMULATIONS).sort()).toEqual(priv);
  });
  it('charges a cost-model entry for every row', () => {
    for (const e of Object.values(EMULATIONS)) expect(DEFAULT_COSTS[e.cause], e.cause).toBeGreaterThan(0);
  });
  it('models every architected CP0 register', () => {
    for (const r of Object.values(C0)) expect(CP0_REGS[r], `CP0 ${r}`).toBeDefined();
  });
});

describe('cost model', () => {
  it('documents every parameter and applies overrides', () => {
    for (const p of COST_PARAMS) { expect(p.description.length).toBeGreaterThan(10); expect(p.justification.length).toBeGreaterThan(10); }
    expect(resolveCosts({ trap: 7 }).trap).toBe(7);
    expect(unknownCostNames({ trap: 1, nope: 2 })).toEqual(['nope']);
  });
});

describe('pmap and L2 TLB', () => {
  it('translates guest PFNs to machine PFNs and invalidates PFNs outside the VM', () => {
    const pm = new Pmap(4);
    pm.set(0, 100); pm.set(1, 7); pm.set(2, 300); pm.set(3, 301);
    expect(pm.translateLo((1 << 6) | 0x1e)).toBe((7 << 6) | (3 << 3) | 0x6);
    expect(pm.translateLo((4 << 6) | 0x1e) & 2).toBe(0);          // beyond the VM: V = 0
    expect(pm.translateLo((0xfffff << 6) | 0x1e) >>> 6).toBe(0);   // and no PFN at all
    expect(pm.machineAddr(0x2004)).toBe(300 * 4096 + 4);
    expect(pm.machineAddr(0x4000)).toBe(-1);
  });
  it('caches by (VPN2, ASID) with global entries matching any ASID, and invalidates', () => {
    const l2 = new L2Tlb(1024);   // direct-mapped: these two keys use different slots
    l2.insert(0x00400000, 5, false, 0x11, 0x22);
    l2.insert(0x00800000, 0, true, 0x33, 0x44);
    expect(l2.lookup(0x00401234, 5)).toEqual([0x11, 0x22, 0]);
    expect(l2.lookup(0x00401234, 6)).toBeUndefined();
    expect(l2.lookup(0x00801000, 9)).toEqual([0x33, 0x44, 1]);
    l2.invalidate(0x00400000, 0x2000, 5);
    expect(l2.lookup(0x00400000, 5)).toBeUndefined();
    expect(new L2Tlb(0).lookup(0x00800000, 0)).toBeUndefined();
  });
});
