// Issue #12.4: one table of monitor cause descriptions in core, next to the cost model, covering
// every cause the monitor charges.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCause, MONITOR_CAUSES } from '../../src/core/disco/causes';
import { COST_PARAMS } from '../../src/core/disco/cost-model';
import { EMULATIONS } from '../../src/core/disco/emulate/table';
import { DENALI_COST_PARAMS } from '../../src/core/denali/cost-model';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every cause name the monitor's sources charge literally: `charge(…, 'name')`, `chargeCycles(…, 'name', …)` or a page copy's `copyPage(…, 'name')`. */
function chargedInSources(): string[] {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.ts')) for (const m of readFileSync(join(dir, e.name), 'utf8').matchAll(/(?:charge(?:Cycles)?|copyPage)\([^)]*?'([a-z0-9.]+)'/gi)) out.add(m[1]);
    }
  };
  walk(join(ROOT, 'src/core/disco'));
  walk(join(ROOT, 'src/core/denali'));
  for (const m of readFileSync(join(ROOT, 'src/core/disco/vtlb.ts'), 'utf8').matchAll(/from = [^;]*?'([a-z0-9.]+)'(?: : '([a-z0-9.]+)')?/g)) { out.add(m[1]); if (m[2]) out.add(m[2]); }
  return [...out];
}

describe('monitor causes', () => {
  it('describes every cause of the cost model, of the emulation table and of the monitor sources', () => {
    const names = new Set([...COST_PARAMS.map((p) => p.name), ...DENALI_COST_PARAMS.map((p) => p.name), ...Object.values(EMULATIONS).map((e) => e.cause), ...chargedInSources()]);
    for (const n of ['trap', 'reflect', 'interrupt', 'interrupt.virtual', 'tlb.vtlb', 'tlb.l2hit', 'tlb.forward', 'tlb.ksseg', 'tlb.fault', 'mmio', 'kseg0', 'kseg3', 'hal.trap', 'hypercall', 'hypercall.perPage', 'schedule', 'schedule.tlbFlush', 'shootdown']) expect(names).toContain(n);
    for (const n of names) expect(MONITOR_CAUSES[n], n).toMatch(/^[A-Z].{30,}[.)]$/);
    expect(Object.keys(MONITOR_CAUSES).sort()).toEqual([...names].sort());
  });

  it('gives a generic description to an emulated instruction without its own entry', () => {
    expect(describeCause('emulate.mtc0')).toBe(MONITOR_CAUSES['emulate.mtc0']);
    expect(describeCause('emulate.tlbinv')).toMatch(/privileged instruction tlbinv/);
    expect(describeCause('nonsense')).toBeUndefined();
  });
});

describe('docs/ui.md', () => {
  it('lists every monitor cause with the description of src/core/disco/causes.ts', () => {
    const doc = readFileSync(join(ROOT, 'docs/ui.md'), 'utf8');
    const block = doc.slice(doc.indexOf('<!-- monitor causes'), doc.indexOf('<!-- end of monitor causes -->'));
    const rows = Object.fromEntries([...block.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2].replace(/\\\|/g, '|')]));
    expect(rows).toEqual({ ...MONITOR_CAUSES });
  });
});
