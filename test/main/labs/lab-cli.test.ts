/**
 * `disco-lab lab` end to end on a small lab (bare-hello on 1, 2 and 4 CPUs, both CPU models):
 * runs on the worker pool, prints the figure and the checks, exits 0 when they pass; a second run
 * comes entirely from the cache; shards + merge give the same result as one run; a changed
 * parameter reruns only the points it changes.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/main';

const ROOT = resolve(import.meta.dirname, '../../..');
const tmp = mkdtempSync(join(tmpdir(), 'disco-lab-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
cpSync(join(ROOT, 'resources/examples/programs'), join(tmp, 'programs'), { recursive: true });
cpSync(join(ROOT, 'resources/examples/experiments/bare-hello.json'), join(tmp, 'experiments/bare-hello.json'));

const LAB = {
  name: 'hello-cpus', title: 'bare-hello by CPUs',
  sweep: { template: '../experiments/bare-hello.json', params: { cpus: [1, 2, 4], model: ['fast', 'timing'] }, set: { machineOverrides: { nodes: 1, cpusPerNode: '{cpus}', cpuModel: '{model}' } } },
  metrics: { cycles: '/cycles', idle: '/totals/buckets/idle', busy: ['/totals/buckets/user', '/totals/buckets/kernel'] },
  figure: { type: 'bars', x: 'cpus', series: 'model', values: ['cycles'] },
  checks: [
    { name: 'more CPUs take longer', explanation: 'the token passes through every CPU in turn', kind: 'increasing', along: 'cpus', metric: 'cycles', forEach: ['model'] },
    { name: 'the timing model is slower', explanation: 'it adds memory stalls', kind: 'greater', left: { at: { model: 'timing' }, metric: 'cycles' }, right: { at: { model: 'fast' }, metric: 'cycles' }, forEach: ['cpus'] },
  ],
};
const labFile = join(tmp, 'labs', 'hello-cpus.json');
mkdirSync(join(tmp, 'labs'), { recursive: true });
writeFileSync(labFile, JSON.stringify(LAB));

async function cli(...args: string[]) {
  let out = '', err = '';
  const code = await runCli(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: tmp });
  return { code, out, err };
}
const json = (name: string) => JSON.parse(readFileSync(join(tmp, name), 'utf8'));

describe('disco-lab lab', () => {
  it('runs a lab on workers, prints the figure and the checks, exits 0 when they pass; then all from the cache', async () => {
    const r = await cli('lab', 'hello-cpus', '--jobs', '2', '--json', 'one.json');
    expect(r.err).toMatch(/6 points, 6 run, 0 from the cache/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^PASS  more CPUs take longer/m);
    expect(r.out).toMatch(/2 of 2 checks pass/);
    const one = json('one.json');
    expect(one.checks.map((c: { pass: boolean }) => c.pass)).toEqual([true, true]);
    expect(one.rows).toHaveLength(6);
    const again = await cli('lab', 'hello-cpus', '--json', 'two.json');
    expect(again.err).toMatch(/6 points, 0 run, 6 from the cache/);
    expect(json('two.json')).toEqual(one);
  }, 120_000);

  it('shards and merge give the same result as one run', async () => {
    for (const k of [1, 2, 3]) expect((await cli('lab', 'hello-cpus', '--no-cache', '--shard', `${k}/3`, '--json', `s${k}.json`)).code).toBe(0);
    expect(Object.keys(json('s1.json').records)).toHaveLength(2);
    const m = await cli('lab', 'merge', 's1.json', 's2.json', 's3.json', '--json', 'merged.json');
    expect(m.code).toBe(0);
    expect(json('merged.json')).toEqual(json('one.json'));   // records differ only in host speed, which no metric reads
    const bad = await cli('lab', 'merge', 's1.json', 's2.json');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/no shard ran 2 point/);
  }, 120_000);

  it('a changed parameter reruns only the points it changes', async () => {
    writeFileSync(labFile, JSON.stringify({ ...LAB, sweep: { ...LAB.sweep, params: { cpus: [1, 2, 3], model: ['fast', 'timing'] } } }));
    const r = await cli('lab', 'hello-cpus');
    expect(r.err).toMatch(/6 points, 2 run, 4 from the cache/);
    writeFileSync(labFile, JSON.stringify(LAB));
  }, 120_000);

  it('table2 (the built-in lab, pmake at size 1): every service of the paper measured natively and under Disco, the shape checks pass', async () => {
    for (const c of ['native-1cpu', 'disco-1cpu-1vm', 'disco-1cpu-1vm-hal']) cpSync(join(ROOT, `resources/examples/experiments/pmake-${c}.json`), join(tmp, `experiments/pmake-${c}.json`));
    const lab = JSON.parse(readFileSync(join(ROOT, 'resources/examples/labs/table2.json'), 'utf8'));
    lab.name = 'table2-small';
    lab.sweep.set['guest.init'] = '+stats pmake 4 1';          // one round of 16 jobs: the same shape, a quarter of the time
    writeFileSync(join(tmp, 'labs', 'table2-small.json'), JSON.stringify(lab));
    const r = await cli('lab', 'table2-small', '--jobs', '2', '--json', 't2.json');
    expect(r.err).toMatch(/3 points, 3 run/);
    expect(r.out).toMatch(/4 of 4 checks pass/);
    expect(r.code).toBe(0);
    const t2 = json('t2.json');
    const disco = t2.rows.find((x: { params: { config: string } }) => x.params.config === 'disco-1cpu-1vm');
    for (const s of ['DEMAND_ZERO', 'QUICK_FAULT', 'open', 'UTLB_MISS', 'write', 'read', 'execve']) expect(disco.values[s]).toBeGreaterThan(1);
  }, 180_000);

  it('tlb-reach (the built-in lab, engineering at size 2, 256 KiB and 1 MiB arrays): Disco costs little within the TLB\'s reach and a trap per miss past it', async () => {
    for (const c of ['native-1cpu', 'disco-1cpu-1vm-hal']) cpSync(join(ROOT, `resources/examples/experiments/engineering-${c}.json`), join(tmp, `experiments/engineering-${c}.json`));
    const lab = JSON.parse(readFileSync(join(ROOT, 'resources/examples/labs/tlb-reach.json'), 'utf8'));
    lab.name = 'tlb-reach-small';
    lab.sweep.params.arrayKiB = [256, 1024];
    lab.sweep.set['guest.init'] = 'engineering 2 4 {arrayKiB}';     // half the default size: the same shape (102.9 and 132.2)
    writeFileSync(join(tmp, 'labs', 'tlb-reach-small.json'), JSON.stringify(lab));
    const r = await cli('lab', 'tlb-reach-small', '--jobs', '2', '--json', 'reach.json');
    expect(r.err).toMatch(/4 points, 4 run/);
    expect(r.out).toMatch(/4 of 4 checks pass/);
    expect(r.code).toBe(0);
    const rows = json('reach.json').rows as { params: { arrayKiB: number; config: string }; values: Record<string, number> }[];
    const at = (kib: number, config: string) => rows.find((x) => x.params.arrayKiB === kib && x.params.config === config)!.values;
    expect(at(256, 'disco-1cpu-1vm-hal').total).toBeLessThan(106);
    expect(at(1024, 'disco-1cpu-1vm-hal').total).toBeGreaterThan(115);
    // past the reach the hardware takes many more TLB misses, natively and under Disco
    expect(at(1024, 'native-1cpu').tlbMisses).toBeGreaterThan(10 * at(256, 'native-1cpu').tlbMisses);
    expect(at(1024, 'disco-1cpu-1vm-hal').tlbMisses).toBeGreaterThan(10 * at(256, 'disco-1cpu-1vm-hal').tlbMisses);
  }, 180_000);

  it('bad input: an unknown lab, a broken lab file, a bad shard, usage', async () => {
    expect((await cli('lab', 'nope')).code).toBe(1);
    writeFileSync(join(tmp, 'labs', 'broken.json'), JSON.stringify({ ...LAB, name: 'broken', figure: { ...LAB.figure, x: 'zz' } }));
    const b = await cli('lab', 'broken');
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/broken\.json: figure\.x: unknown parameter 'zz'/);
    // a point with a persistent disk would change its image file: refused before anything runs
    writeFileSync(join(tmp, 'experiments', 'p.img'), new Uint8Array(4096));
    writeFileSync(join(tmp, 'experiments', 'persist.json'), JSON.stringify({ name: 'persist', machine: 'flash-4x2', mode: 'disco', vms: [{ memoryMB: 1, kernel: '../programs/bare-hello.s', disk: { image: 'p.img', persistent: true } }] }));
    writeFileSync(join(tmp, 'labs', 'persist.json'), JSON.stringify({ ...LAB, name: 'persist', sweep: { template: '../experiments/persist.json', params: { cpus: [1] } }, figure: { type: 'bars', x: 'cpus', values: ['cycles'] }, checks: [] }));
    const p = await cli('lab', 'persist');
    expect(p.code).toBe(1);
    expect(p.err).toMatch(/persist\.json: a persistent disk \(vms\[\]\.disk\.persistent\) changes its image file/);
    expect((await cli('lab', 'hello-cpus', '--shard', '4/3', '--json', 'x.json')).code).toBe(2);
    expect((await cli('lab', 'hello-cpus', '--jobs', '0')).code).toBe(2);
    expect((await cli('lab')).code).toBe(2);
    const list = await cli('lab', '--list');
    expect(list.out).toMatch(/^figure5 +Figure 5/m);
    expect(list.out).toMatch(/^hello-cpus +bare-hello by CPUs/m);
  }, 60_000);
});
