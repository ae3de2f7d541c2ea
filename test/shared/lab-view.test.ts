// The Labs view's arithmetic (src/shared/lab/lab-view.ts): bar categories grouped by x with the
// paper's values beside ours, line figures for sweeps, the table of derived values, texts.
import { describe, expect, it } from 'vitest';
import { deriveLab } from '../../src/core/labs/derive';
import { expandLab } from '../../src/core/labs/expand';
import { validateLab, type LabFile } from '../../src/core/labs/lab';
import { checkState, fmtLabValue, fmtSeconds, labCategories, labFinishedText, labLines, labProgressText, labTable, paperAt, pointLabel, shownMetrics } from '../../src/shared/api';

const FIG5 = validateLab({
  name: 'f5', title: 'Figure 5',
  sweep: { template: 'x-{workload}-{config}.json', params: { workload: ['pmake', 'raytrace'], config: ['native', 'disco'] } },
  metrics: { user: '/u', kernel: '/k', total: ['/u', '/k'], traps: '/t' },
  figure: { type: 'stacked-bars', x: 'workload', series: 'config', values: ['user', 'kernel'], normalize: { where: { config: 'native' }, metric: 'total', scale: 100 }, unit: '%' },
  paper: [{ at: { workload: 'pmake', config: 'native' }, values: { user: 70, kernel: 30, total: 100 } }, { at: { workload: 'pmake', config: 'disco' }, values: { user: 72, kernel: 44, total: 116 } }],
  checks: [{ name: 'disco costs', explanation: 'traps', kind: 'greater', left: { at: { config: 'disco' }, metric: 'total' }, right: { at: { config: 'native' }, metric: 'total' }, forEach: ['workload'] }],
});
if (!FIG5.ok) throw new Error(JSON.stringify(FIG5.errors));
const lab: LabFile = FIG5.value;
const RECORDS: Record<string, { u: number; k: number; t: number }> = {
  'workload=pmake,config=native': { u: 600, k: 400, t: 0 },
  'workload=pmake,config=disco': { u: 620, k: 300, t: 1234567 },
  'workload=raytrace,config=native': { u: 900, k: 100, t: 0 },
  'workload=raytrace,config=disco': { u: 905, k: 60, t: 999 },
};
const full = deriveLab(lab, new Map(Object.entries(RECORDS)));

describe('bar categories', () => {
  it('one per point, grouped by x in sweep order, ours normalised and the paper beside', () => {
    const cats = labCategories(lab, full);
    expect(cats.map((c) => [c.group, c.label, c.groupStart, c.groupSize])).toEqual([
      ['pmake', 'native', true, 2], ['pmake', 'disco', false, 2], ['raytrace', 'native', true, 2], ['raytrace', 'disco', false, 2],
    ]);
    expect(cats[0]).toMatchObject({ pointId: 'workload=pmake,config=native', o0: 60, o1: 40, p0: 70, p1: 30, oursTotal: 100, paperTotal: 100, hasPaper: true });
    expect(cats[1]).toMatchObject({ o0: 62, o1: 30, p0: 72, p1: 44, oursTotal: 92, paperTotal: 116 });
    expect(cats[2]).toMatchObject({ hasPaper: false, p0: null, p1: null, paperTotal: null });
  });

  it('a missing point has null values; other parameters join the label', () => {
    const partial = deriveLab(lab, new Map(Object.entries(RECORDS).slice(0, 1)));
    const cats = labCategories(lab, partial);
    expect(cats[3]).toMatchObject({ o0: null, o1: null, oursTotal: null });
    const three = validateLab({ ...lab, sweep: { ...lab.sweep, params: { ...lab.sweep.params, seed: [1, 2] } }, paper: [], checks: [] });
    if (!three.ok) throw new Error('invalid');
    const c3 = labCategories(three.value, deriveLab(three.value, new Map()));
    expect(c3).toHaveLength(8);
    expect(c3.slice(0, 4).map((c) => c.label)).toEqual(['native seed=1', 'native seed=2', 'disco seed=1', 'disco seed=2']);
    expect(c3[0].groupSize).toBe(4);
  });

  it('without a series the x value is the label', () => {
    const sweep = validateLab({ name: 's', title: 's', sweep: { template: 'e.json', params: { entries: [0, 64, 256] } }, metrics: { m: '/m' }, figure: { type: 'bars', x: 'entries', values: ['m'] }, checks: [] });
    if (!sweep.ok) throw new Error('invalid');
    const r = deriveLab(sweep.value, new Map([['entries=0', { m: 5 }], ['entries=64', { m: 3 }]]));
    expect(labCategories(sweep.value, r).map((c) => [c.label, c.o0, c.groupSize])).toEqual([['0', 5, 1], ['64', 3, 1], ['256', null, 1]]);
  });
});

describe('line figures', () => {
  it('one row per x value, one line per series and metric, the paper as its own key', () => {
    const l = validateLab({
      name: 'l', title: 'l', sweep: { template: 'e.json', params: { entries: [0, 64, 256], model: ['fast', 'timing'] } },
      metrics: { m: '/m' }, figure: { type: 'line', x: 'entries', values: ['m'] },
      paper: [{ at: { entries: 64, model: 'timing' }, values: { m: 2.5 } }], checks: [],
    });
    if (!l.ok) throw new Error('invalid');
    const recs = new Map(expandLab(l.value).map((p, i) => [p.id, { m: i }]));
    const { rows, lines } = labLines(l.value, deriveLab(l.value, recs));
    expect(lines.map((x) => [x.key, x.label, x.hasPaper])).toEqual([['s0m0', 'm (model=fast)', false], ['s1m0', 'm (model=timing)', true]]);
    expect(rows).toEqual([
      { x: '0', s0m0: 0, q0m0: null, s1m0: 1, q1m0: null },
      { x: '64', s0m0: 2, q0m0: null, s1m0: 3, q1m0: 2.5 },
      { x: '256', s0m0: 4, q0m0: null, s1m0: 5, q1m0: null },
    ]);
  });
});

describe('table and texts', () => {
  it('the figure metrics (and the normalisation metric) with the paper, then the rest raw', () => {
    expect(shownMetrics(lab)).toEqual({ values: ['user', 'kernel'], extra: 'total' });
    const t = labTable(lab, full);
    expect(t.params).toEqual(['workload', 'config']);
    expect(t.columns).toEqual([{ metric: 'user', kind: 'figure' }, { metric: 'kernel', kind: 'figure' }, { metric: 'total', kind: 'figure' }, { metric: 'traps', kind: 'raw' }]);
    expect(t.rows[1]).toEqual({ pointId: 'workload=pmake,config=disco', params: { workload: 'pmake', config: 'disco' }, cells: [{ ours: 62, paper: 72 }, { ours: 30, paper: 44 }, { ours: 92, paper: 116 }, { ours: 1234567, paper: null }] });
    expect(paperAt(lab, { workload: 'raytrace', config: 'disco' })).toBeUndefined();
  });

  it('numbers, seconds, progress and point labels', () => {
    expect([fmtLabValue(117.23), fmtLabValue(3.456), fmtLabValue(0.01234), fmtLabValue(0), fmtLabValue(null), fmtLabValue(1234567, 'raw'), fmtLabValue(2.5, 'raw')]).toEqual(['117.2', '3.46', '0.0123', '0', '—', '1,234,567', '2.50']);
    expect([fmtSeconds(0.4), fmtSeconds(12.6), fmtSeconds(65)]).toEqual(['0 s', '13 s', '1 min 05 s']);
    expect(labProgressText({ done: 3, total: 8, cached: 2, running: ['a', 'b'], etaSeconds: 12 })).toBe('3 of 8 points · 2 from the cache · running 2 · about 12 s left');
    expect(labProgressText({ done: 0, total: 3, cached: 0, running: [], etaSeconds: null })).toBe('0 of 3 points · estimating the time left…');
    expect(labProgressText({ done: 3, total: 3, cached: 0, running: [], etaSeconds: 0 })).toBe('3 of 3 points');
    expect(pointLabel({ workload: 'pmake', config: 'disco' })).toBe('workload=pmake, config=disco');
  });
});

describe('the end of a lab run', () => {
  it('says what ran, what came from the cache, and the checks', () => {
    const view = { path: 'labs/f5.json', lab, result: full, points: [], errors: [], seconds: 0.1 };
    // (our made-up pmake under Disco is faster than native: the check fails)
    expect(labFinishedText({ labRunId: 'lab-1', path: 'labs/f5.json', ok: true, view, ran: 3, cached: 1, seconds: 12.34 }, 'f5')).toBe('Lab f5 finished (3 run, 1 from the cache, 12.3 s): 0 of 1 checks pass');
    const part = { ...view, result: deriveLab(lab, new Map(Object.entries(RECORDS).slice(0, 3))) };
    expect(labFinishedText({ labRunId: 'lab-1', path: 'labs/f5.json', ok: true, stopped: true, view: part, ran: 0, cached: 3, seconds: 1 }, 'f5')).toBe('Lab f5 stopped (0 run, 3 from the cache, 1.0 s): 1 point has no record');
    expect(labFinishedText({ labRunId: 'lab-1', path: 'labs/f5.json', ok: false, errors: ['point a: boom'], ran: 1, cached: 0, seconds: 2 }, 'f5')).toBe('Lab f5 failed (1 run, 0 from the cache, 2.0 s): point a: boom');
  });
});

describe('check states', () => {
  it('a check that lacks values while points are missing is pending, a real no fails', () => {
    const partial = deriveLab(lab, new Map(Object.entries(RECORDS).slice(0, 2)));
    const [c] = partial.checks;
    expect(c.pass).toBe(false);
    // pmake: 92 > 100 is a real "no"; raytrace: missing
    expect(checkState(c, true)).toBe('fail');
    const onlyNative = deriveLab(lab, new Map([['workload=pmake,config=native', RECORDS['workload=pmake,config=native']]]));
    expect(checkState(onlyNative.checks[0], true)).toBe('pending');
    expect(checkState(onlyNative.checks[0], false)).toBe('fail');
    expect(checkState({ ...c, pass: true }, true)).toBe('pass');
  });
});
