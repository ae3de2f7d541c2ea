/** `disco-lab run` on disco-mode experiments: a shipped guest-kernel experiment and a .s test guest with errors. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/main';
import { RUN_RECORD_SCHEMA } from '../../../src/core/experiment/run-record-schema';
import { validateJson } from '../../../src/core/experiment/json-schema';
import { FIX, ROOT } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'disco-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...args: string[]) {
  let out = '', err = '';
  const code = await runCli(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: tmp });
  return { code, out, err };
}

describe('disco-lab run, mode "disco"', () => {
  it('runs pmake in 2 VMs on 1 CPU: both print the native checksum; record with vms[] and monitor', async () => {
    const r = await cli('run', join(ROOT, 'resources/examples/experiments/pmake-disco-1cpu-2vm.json'), '--json', 'rec.json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('[vm0] pmake: 64 jobs, checksum 0xcf81beb8\n');   // the default size: 4 rounds of 16
    expect(r.out).toContain('[vm1] pmake: 64 jobs, checksum 0xcf81beb8\n');
    expect(r.out).toMatch(/ vm0 +1 +exit 0 /);
    expect(r.out).toMatch(/monitor time by cause: trap /);
    const rec = JSON.parse(readFileSync(join(tmp, 'rec.json'), 'utf8'));
    expect(validateJson(RUN_RECORD_SCHEMA, rec)).toEqual([]);
    expect(rec.vms.map((v: { name: string; exitCode: number }) => [v.name, v.exitCode])).toEqual([['vm0', 0], ['vm1', 0]]);
  }, 120_000);

  it('assembles a .s guest kernel at 0xC0000000 and reports its errors by field', async () => {
    copyFileSync(join(FIX, 'basic.s'), join(tmp, 'basic.s'));
    writeFileSync(join(tmp, 'bad.s'), '  bogus $1\n');
    const exp = (kernel: string) => JSON.stringify({ name: 't', machine: 'flash-4x2', machineOverrides: { nodes: 1, cpuModel: 'fast' }, mode: 'disco', vms: [{ memoryMB: 2, kernel }] });
    writeFileSync(join(tmp, 'ok.json'), exp('basic.s'));
    writeFileSync(join(tmp, 'bad.json'), exp('bad.s'));
    const ok = await cli('run', 'ok.json', '--quiet');
    expect(ok.out).toMatch(/^disco guest on vcpu 0\nhello from user\nsum=[0-9A-F]{8}\n$/);
    const bad = await cli('run', 'bad.json');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/bad\.json: vms\[0\]\.kernel: .*bad\.s:1:\d+: /);
  }, 60_000);
});

describe('disco-lab figure5', () => {
  const rec = (name: string, mode: string, b: number[], l2 = 1024) => ({
    schema: 'disco-lab/run@1', name, mode, vms: mode === 'disco' ? [{}] : [], monitor: { byCause: {}, l2tlbEntries: l2 },
    totals: { buckets: { user: b[0], kernel: b[1], monitor: b[2], idle: b[3], stall: 0 } },
  });
  it('normalises each workload to its native run', async () => {
    writeFileSync(join(tmp, 'n.json'), JSON.stringify(rec('w-native-1cpu', 'native', [60, 30, 0, 10])));
    writeFileSync(join(tmp, 'd.json'), JSON.stringify(rec('w-disco-1cpu-1vm', 'disco', [60, 20, 30, 10])));
    writeFileSync(join(tmp, 'd0.json'), JSON.stringify(rec('w-disco-1cpu-1vm-nol2', 'disco', [60, 20, 50, 10], 0)));
    const r = await cli('figure5', 'd.json', 'd0.json', 'n.json');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(1, 4)).toEqual([
      'w         native                  60.0    30.0     0.0    10.0   100.0',
      'w         disco 1vm               60.0    20.0    30.0    10.0   120.0',
      'w         disco 1vm, no L2 TLB    60.0    20.0    50.0    10.0   140.0',
    ]);
    expect((await cli('figure5', 'd.json')).err).toMatch(/no native record for w/);
  });
});
