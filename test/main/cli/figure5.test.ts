// `disco-lab figure5` on records that are not usable: a clear error naming the file and the
// field, exit 1 — never a stack trace (a `null` record or one without buckets used to crash).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/main';
import { figure5RowOf } from '../../../src/core/disco/figure5';

const tmp = mkdtempSync(join(tmpdir(), 'disco-figure5-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...args: string[]) {
  let out = '', err = '';
  const code = await runCli(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: tmp });
  return { code, out, err };
}
const write = (name: string, v: unknown) => { writeFileSync(join(tmp, name), typeof v === 'string' ? v : JSON.stringify(v)); return name; };
const rec = (name: string, mode: string, b: number[]) => ({
  schema: 'disco-lab/run@1', name, mode, vms: mode === 'disco' ? [{}] : [], monitor: { byCause: {}, l2tlbEntries: 1024 },
  totals: { buckets: { user: b[0], kernel: b[1], monitor: b[2], idle: b[3], stall: 0 } },
});

describe('disco-lab figure5 input checks', () => {
  it('a null record is an error naming the file, exit 1', async () => {
    const r = await cli('figure5', write('null.json', 'null'));
    expect(r).toEqual({ code: 1, out: '', err: 'null.json: (document): not a run record: expected an object, got null\n' });
  });

  it('a record without buckets names the missing field', async () => {
    const { totals: _, ...noTotals } = rec('w-native', 'native', [1, 1, 0, 0]);
    const a = await cli('figure5', write('nototals.json', noTotals));
    expect(a).toEqual({ code: 1, out: '', err: 'nototals.json: totals: must be an object, got nothing\n' });
    const b = await cli('figure5', write('nobuckets.json', { ...noTotals, totals: {} }));
    expect(b.err).toBe('nobuckets.json: totals.buckets: must be an object, got nothing\n');
    const c = await cli('figure5', write('badidle.json', { ...noTotals, totals: { buckets: { user: 1, kernel: 1, monitor: 0, idle: 'x' } } }));
    expect(c.err).toBe('badidle.json: totals.buckets.idle: must be a number ≥ 0, got "x"\n');
  });

  it('reports every bad file, other schemas, disco records without vms, and an empty native run', async () => {
    const r = await cli('figure5', write('n.json', rec('w-native', 'native', [1, 1, 0, 0])), write('arr.json', []), write('other.json', { schema: 'x' }), write('d.json', { ...rec('w-disco', 'disco', [1, 1, 1, 0]), vms: 3 }));
    expect(r.code).toBe(1);
    expect(r.err).toBe([
      'arr.json: (document): not a run record: expected an object, got []',
      'other.json: schema: not a run record: expected "disco-lab/run@1", got "x"',
      'd.json: vms: must be an array, got 3',
      '',
    ].join('\n'));
    const z = await cli('figure5', write('z.json', rec('z-native', 'native', [0, 0, 0, 0])));
    expect(z).toEqual({ code: 1, out: '', err: 'figure5: the native record for z has no time in it (its buckets are all 0)\n' });
  });

  it('still builds rows from good records', () => {
    expect(figure5RowOf(rec('w-disco-1cpu', 'disco', [6, 2, 3, 1]))).toEqual({ ok: true, row: { workload: 'w', config: 'disco 1vm', buckets: { user: 6, kernel: 2, monitor: 3, idle: 1, stall: 0 } } });
  });

  it('names a kernel build other than ksseg in the configuration (the HAL kernel beside the plain one)', () => {
    const withVariant = (variant: string) => ({ ...rec('w-disco-1cpu-hal', 'disco', [6, 2, 3, 1]), experiment: { vms: [{ name: 'vm0', variant }] } });
    const row = (x: unknown) => { const r = figure5RowOf(x); return r.ok ? r.row.config : r.errors; };
    expect(row(withVariant('hal'))).toBe('disco 1vm, hal kernel');
    expect(row(withVariant('kseg0'))).toBe('disco 1vm, kseg0 kernel');
    expect(row(withVariant('ksseg'))).toBe('disco 1vm');
  });
});
