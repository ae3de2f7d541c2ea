/**
 * The monitor's cost table by cause id (cost-model.ts `costTableById`, read by
 * `Monitor.charge`/`chargeId`): the same cost as the table by name for every cause, 0 for causes
 * it does not hold (registered before or after it was built), overrides included; and a charge by
 * id records what the same charge by name records.
 */
import { describe, expect, it } from 'vitest';
import { COST_PARAMS, costTableById, resolveCosts } from '../../../src/core/disco/cost-model';
import { causeId } from '../../../src/core/machine/cpu/cause-tally';
import { Accounting } from '../../../src/core/disco/accounting';
import { Machine } from '../../../src/core/machine/machine';
import { machine } from '../guest/guest';

describe('costTableById', () => {
  it('gives each cause the cost the table by name gives it, and 0 to the others', () => {
    const before = causeId('test.cost-by-id.before');
    const table = resolveCosts({ 'emulate.mtc0': 41, trap: 0 });
    const t = costTableById(table);
    const after = causeId('test.cost-by-id.after');
    const cost = (id: number) => (id < t.length ? t[id] : 0);
    for (const p of COST_PARAMS) expect(cost(causeId(p.name)), p.name).toBe(table[p.name]);
    expect(cost(causeId('emulate.mtc0'))).toBe(41);
    expect(cost(causeId('trap'))).toBe(0);
    expect(cost(before)).toBe(0);
    expect(cost(after)).toBe(0);
  });
});

describe('Accounting.chargeId', () => {
  it('records what charge by name records (nothing for ≤ 0 cycles)', () => {
    const run = (byId: boolean) => {
      const cpu = new Machine(machine(1)).cpus[0];
      const a = new Accounting([cpu], 1);
      for (const [cause, cycles] of [['trap', 40], ['reflect', 0], ['emulate.eret', 40], ['trap', 40], ['tlb.l2hit', -1]] as const) {
        if (byId) a.chargeId(cpu, 0, causeId(cause), cycles); else a.charge(cpu, 0, cause, cycles);
      }
      return { cpu: cpu.monitorByCause, vm: a.vms[0].byCause, buckets: { ...cpu.buckets } };
    };
    expect(run(true)).toEqual(run(false));
    expect(Object.keys(run(true).vm)).toEqual(['trap', 'emulate.eret']);
  });
});
