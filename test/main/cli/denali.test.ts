// `disco-lab run` and `disco-lab lab` with mode "denali" (issue #18): the built-in Ilwaco guest
// from resources/guest, the Denali summary, the record's denali section and host memory.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/main';
import { RUN_RECORD_SCHEMA } from '../../../src/core/experiment/run-record-schema';
import { validateJson } from '../../../src/core/experiment/json-schema';
import type { RunRecord } from '../../../src/core/experiment/record';

const tmp = mkdtempSync(join(tmpdir(), 'disco-denali-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...args: string[]) {
  let out = '', err = '';
  const code = await runCli(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: tmp });
  return { code, out, err };
}

const exp = (denali: unknown) => ({
  name: 'denali-cli', machine: 'uma-smp4', machineOverrides: { cpusPerNode: 2, cpuModel: 'fast', memoryPerNodeMB: 16 },
  mode: 'denali', denali, limits: { maxCycles: 200_000_000 },
});

describe('disco-lab run, mode "denali"', () => {
  it('runs the built-in Ilwaco guest: console, Denali summary, record with the denali section and host memory', async () => {
    writeFileSync(join(tmp, 'd.json'), JSON.stringify(exp({ vms: [{ name: 'web', count: 6 }], load: { clientsPerVm: 2, requestsPerClient: 4 } })));
    const r = await cli('run', 'd.json', '--json', 'd.out.json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('[web5] ilwaco httpd up\n');
    expect(r.out).toMatch(/denali: 6 VMs of 32 KiB \(kernel metadata \d+ bytes each/);
    expect(r.out).toContain('48 of 48 requests answered (0 wrong)');
    expect(r.out).toMatch(/peak memory \d+ MiB/);
    const rec = JSON.parse(readFileSync(join(tmp, 'd.out.json'), 'utf8')) as RunRecord;
    expect(validateJson(RUN_RECORD_SCHEMA, rec)).toEqual([]);
    expect(rec.mode).toBe('denali');
    expect(rec.denali!.load.responses).toBe(48);
    expect(rec.host.memoryMB).toBeGreaterThan(0);
  });

  it('reports bad Denali fields one per line, exit 1', async () => {
    writeFileSync(join(tmp, 'bad.json'), JSON.stringify(exp({ vms: [{ count: 2, memoryKB: 30 }], options: { costs: { nope: 1 } } })));
    const r = await cli('run', 'bad.json');
    expect(r.code).toBe(1);
    expect(r.err).toBe('bad.json: denali.vms[0].memoryKB: must be a multiple of 4 (whole pages), got 30\nbad.json: denali.options.costs.nope: unknown cost \'nope\' (known: trap, call, call.perPage, tlb.refill, interrupt, interrupt.post, schedule, schedule.tlbFlush, swap.out, swap.in, swap.perPage)\n');
  });

  it('names a VM the kernel stopped, with its reason', async () => {
    writeFileSync(join(tmp, 'wild.s'), '        .text\n        .globl __start\n__start:\n        lui $t0, 0x10\n        lw $t1, 0($t0)\n1:      b 1b\n');
    writeFileSync(join(tmp, 'w.json'), JSON.stringify(exp({ vms: [{ name: 'web', count: 2 }, { name: 'wild', program: 'wild.s', memoryKB: 16 }], load: { clientsPerVm: 1, requestsPerClient: 2 } })));
    const r = await cli('run', 'w.json');
    expect(r.code).toBe(0);
    expect(r.out).toContain('wild stopped: touched 0x100000, outside its memory (0x0–0x3fff), at pc 0x1004');
  });
});

describe('disco-lab lab: the Denali labs are built in', () => {
  it('lists them', async () => {
    const r = await cli('lab', '--list');
    expect(r.code).toBe(0);
    for (const n of ['denali-batching', 'denali-idle', 'denali-swap', 'denali-switch']) expect(r.out).toMatch(new RegExp(`^${n} +Denali: `, 'm'));
  });
});
