/** The lab core (src/core/labs): validation, sweep expansion, derivation, checks, content keys, shards. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateLab, type LabFile } from '../../../src/core/labs/lab';
import { expandLab } from '../../../src/core/labs/expand';
import { applySet } from '../../../src/core/experiment/set';
import { deriveLab, readPointer } from '../../../src/core/labs/derive';
import { contentKey, mergeShards, parseShard, Sha256, shardOf, type LabShard } from '../../../src/core/labs/cache';

const LAB: LabFile = {
  name: 'toy', title: 'A toy Figure 5',
  sweep: { template: '../experiments/{w}-{c}.json', params: { w: ['a', 'b'], c: ['native', 'disco'] }, set: { 'machineOverrides.cpuModel': 'timing', 'monitor.sliceCycles': '{n}' } },
  metrics: { user: '/totals/buckets/user', kernel: '/totals/buckets/kernel', total: ['/totals/buckets/user', '/totals/buckets/kernel'] },
  figure: { type: 'stacked-bars', x: 'w', series: 'c', values: ['user', 'kernel'], normalize: { where: { c: 'native' }, metric: 'total', scale: 100 } },
  paper: [{ at: { w: 'a', c: 'disco' }, values: { user: 50, kernel: 10 } }],
  checks: [
    { name: 'kernel drops', explanation: 'the L2 TLB absorbs misses', kind: 'less', left: { at: { c: 'disco' }, metric: 'kernel' }, right: { at: { c: 'native' }, metric: 'kernel' }, forEach: ['w'] },
    { name: 'overhead', explanation: '3–16 %', kind: 'between', value: { at: { c: 'disco' }, metric: 'total' }, min: 100, max: 120, forEach: ['w'] },
  ],
};
const rec = (user: number, kernel: number) => ({ totals: { buckets: { user, kernel } } });

describe('labs', () => {
  it('validate the file and the references inside it', () => {
    expect(validateLab(LAB).ok).toBe(true);
    const bad = { ...LAB, figure: { ...LAB.figure, x: 'nope', values: ['user', 'zz'] }, checks: [{ ...LAB.checks[0], forEach: ['q'] }] };
    const r = validateLab(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['figure.x', 'figure.values[1]', 'checks[0].forEach']);
    expect(validateLab({ name: 'x' }).ok).toBe(false);
  });

  it('expand the sweep: template placeholders, typed set values, stable ids and order', () => {
    const pts = expandLab({ ...LAB, sweep: { ...LAB.sweep, params: { ...LAB.sweep.params, n: [5000] } } });
    expect(pts.map((p) => p.id)).toEqual(['w=a,c=native,n=5000', 'w=a,c=disco,n=5000', 'w=b,c=native,n=5000', 'w=b,c=disco,n=5000']);
    expect(pts[1].experiment).toBe('../experiments/a-disco.json');
    expect(pts[1].set).toEqual({ 'machineOverrides.cpuModel': 'timing', 'monitor.sliceCycles': 5000 });
    const a = applySet({ name: 'e', monitor: { l2tlbEntries: 1 } }, pts[1].set);
    expect(a).toEqual({ ok: true, value: { name: 'e', monitor: { l2tlbEntries: 1, sliceCycles: 5000 }, machineOverrides: { cpuModel: 'timing' } } });
    expect(applySet({ name: 'e' }, { 'name.x': 1 }).ok).toBe(false);
    expect(applySet({}, { '__proto__.polluted': 1 }).ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('derive normalised values and run the shape checks, naming the numbers', () => {
    const records = new Map<string, unknown>([
      ['w=a,c=native', rec(80, 20)], ['w=a,c=disco', rec(85, 15)],
      ['w=b,c=native', rec(50, 50)], ['w=b,c=disco', rec(60, 70)],
    ]);
    const r = deriveLab(LAB, records);
    expect(r.rows[1].values).toEqual({ user: 85, kernel: 15, total: 100 });
    expect(r.rows[3].values.total).toBeCloseTo(130);
    expect(r.checks[0].pass).toBe(false);                       // b: kernel 70 vs 50
    expect(r.checks[0].detail[0]).toBe("w=a: kernel (c=disco) = 15.0 < kernel (c=native) = 20.0: yes");
    expect(r.checks[0].detail[1]).toMatch(/: no$/);
    expect(r.checks[1].pass).toBe(false);                       // b: 130 > 120
    expect(r.pass).toBe(false);
    const partial = deriveLab(LAB, new Map([...records].slice(0, 3)));
    expect(partial.missing).toEqual(['w=b,c=disco']);
    expect(partial.checks[1].detail[1]).toMatch(/missing/);
  });

  it('normalise each metric by its own reference value and repeat a check over a list of metrics (Table 2)', () => {
    const T2: LabFile = {
      name: 't2', title: 'per service',
      sweep: { template: '../experiments/pmake-{c}.json', params: { c: ['native', 'disco'] } },
      metrics: { a: '/guestStats/a/cyclesPerCall', b: '/guestStats/b/cyclesPerCall' },
      figure: { type: 'bars', x: 'c', values: ['a', 'b'], normalize: { where: { c: 'native' }, scale: 1 } },
      checks: [
        { name: 'slower', explanation: 'traps', kind: 'greater', metrics: ['a', 'b'], left: { at: { c: 'disco' } }, right: { at: { c: 'native' } } },
        { name: 'a above b', explanation: 'shorter', kind: 'greater', left: { at: { c: 'disco' }, metric: 'a' }, right: { at: { c: 'disco' }, metric: 'b' } },
      ],
    };
    expect(validateLab(T2).ok).toBe(true);
    const st = (a: number, b: number) => ({ guestStats: { a: { cyclesPerCall: a }, b: { cyclesPerCall: b } } });
    const r = deriveLab(T2, new Map<string, unknown>([['c=native', st(100, 400)], ['c=disco', st(300, 200)]]));
    expect(r.rows.map((x) => x.values)).toEqual([{ a: 1, b: 1 }, { a: 3, b: 0.5 }]);
    expect(r.checks[0].pass).toBe(false);
    expect(r.checks[0].detail).toEqual(['a (c=disco) = 3.00 > a (c=native) = 1.00: yes', 'b (c=disco) = 0.500 > b (c=native) = 1.00: no']);
    expect(r.checks[1].pass).toBe(true);
    // a cell without a metric needs the check's metrics; the metrics must exist
    const { metrics: _all, ...noMetrics } = T2.checks[0];
    const bad = validateLab({ ...T2, checks: [noMetrics, { ...T2.checks[0], metrics: ['zz'] }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path)).toEqual(['checks[0].left.metric', 'checks[0].right.metric', 'checks[1].metrics[0]']);
  });

  it('a metric may take the first pointer a record has a number at (records of different modes)', () => {
    const lab: LabFile = {
      name: 'svc', title: 'one service, two monitors', sweep: { template: '../experiments/s-{m}.json', params: { m: ['denali', 'disco'] } },
      metrics: { cpu: { first: ['/load/cpu', '/denali/load/cpu'] } },
      figure: { type: 'bars', x: 'm', values: ['cpu'] },
      checks: [{ name: 'Disco costs more', explanation: 'a guest kernel on the path', kind: 'greater', left: { at: { m: 'disco' }, metric: 'cpu' }, right: { at: { m: 'denali' }, metric: 'cpu' } }],
    };
    expect(validateLab(lab).ok).toBe(true);
    const r = deriveLab(lab, new Map<string, unknown>([['m=denali', { denali: { load: { cpu: 4 } } }], ['m=disco', { load: { cpu: 11 }, denali: { load: { cpu: 1 } } }]]));
    expect(r.rows.map((x) => x.values.cpu)).toEqual([4, 11]);   // the first pointer wins when both exist
    expect(r.pass).toBe(true);
    expect(deriveLab(lab, new Map<string, unknown>([['m=denali', {}], ['m=disco', { load: { cpu: 'x' } }]])).rows.map((x) => x.values.cpu)).toEqual([null, null]);
    const bad = validateLab({ ...lab, metrics: { cpu: { first: ['load/cpu'] } } });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['metrics.cpu']);
  });

  it('read JSON Pointers (RFC 6901), including escapes', () => {
    const doc = { monitor: { byCause: { 'tlb.l2hit': 3, 'a/b': 4, 'm~n': 5 } }, cpus: [{ id: 7 }] };
    expect(readPointer(doc, '/monitor/byCause/tlb.l2hit')).toBe(3);
    expect(readPointer(doc, '/monitor/byCause/a~1b')).toBe(4);
    expect(readPointer(doc, '/monitor/byCause/m~0n')).toBe(5);
    expect(readPointer(doc, '/cpus/0/id')).toBe(7);
    expect(readPointer(doc, '/nope/x')).toBeUndefined();
  });

  it('SHA-256 agrees with node:crypto on every length around block boundaries', () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_000]) {
      const b = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(new Sha256().update(b).digestHex(), `${n} bytes`).toBe(createHash('sha256').update(b).digest('hex'));
    }
    const parts = new Sha256().update(new TextEncoder().encode('ab')).update(new TextEncoder().encode('c')).digestHex();
    expect(parts).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('content keys change with the experiment, its inputs and the simulator version — and not with key order', () => {
    const run = { experiment: { name: 'e', monitor: { a: 1, b: 2 } }, inputs: { disk: new Uint8Array([1, 2, 3]) } };
    const k = contentKey(run, 'v1');
    expect(contentKey({ inputs: { disk: new Uint8Array([1, 2, 3]) }, experiment: { monitor: { b: 2, a: 1 }, name: 'e' } }, 'v1')).toBe(k);
    expect(contentKey(run, 'v2')).not.toBe(k);
    expect(contentKey({ ...run, inputs: { disk: new Uint8Array([1, 2, 4]) } }, 'v1')).not.toBe(k);
    expect(contentKey({ ...run, experiment: { name: 'e', monitor: { a: 1, b: 3 } } }, 'v1')).not.toBe(k);
  });

  it('shards cover every point once and merge back; conflicts, foreign labs and gaps are errors', () => {
    const pts = expandLab(LAB);
    expect(parseShard('2/3')).toEqual({ ok: true, k: 2, n: 3 });
    expect(parseShard('4/3').ok).toBe(false);
    expect(parseShard('x').ok).toBe(false);
    const shards: LabShard[] = [1, 2, 3].map((k) => ({ schema: 'disco-lab/lab-shard@1', lab: 'toy', shard: `${k}/3`, points: pts.length, records: Object.fromEntries(shardOf(pts, k, 3).map((p) => [p.id, rec(p.index, 1)])) }));
    expect(shards.flatMap((s) => Object.keys(s.records)).sort()).toEqual(pts.map((p) => p.id).sort());
    const m = mergeShards('toy', pts, shards);
    expect(m.ok).toBe(true);
    if (m.ok) expect([...m.records.keys()].sort()).toEqual(pts.map((p) => p.id).sort());
    const twice = mergeShards('toy', pts, [...shards, shards[0]]);
    expect(twice.ok).toBe(false);
    const gap = mergeShards('toy', pts, shards.slice(1));
    expect(gap.ok ? [] : gap.errors.join('\n')).toMatch(/no shard ran 2 point/);
    expect(mergeShards('other', pts, shards).ok).toBe(false);
  });
});
