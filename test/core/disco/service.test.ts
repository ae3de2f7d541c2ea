/**
 * Serving the load generator's clients under Disco (issue #18; docs/disco.md "Serving clients"):
 * the guest OS's `httpd` — the Denali guest's request handler as a process — answers the same
 * closed-loop clients over the virtual network, through the kernel's net_recv / net_send system
 * calls. Checked: every request answered right and deterministically, the record's `load` has
 * the shape of a Denali run's `denali.load`, a misbehaving server's wrong answers are counted
 * or refused, the bare machine has no network, and a bad `load` is a field error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateJson } from '../../../src/core/experiment/json-schema';
import { RUN_RECORD_SCHEMA } from '../../../src/core/experiment/run-record-schema';
import { bucketsAddUp, experiment, load, ROOT, runDenali as run } from '../denali/helpers';
import { serviceCompareRows, workloadKey } from '../../../src/shared/api';

const LOAD = { clientsPerVm: 2, requestsPerClient: 8, thinkTimeUs: 300 };

function disco(vms: Record<string, unknown>[], load: Record<string, unknown> | undefined, init = 'httpd', programs: string[] = []): Record<string, unknown> {
  return {
    name: 'service-test', machine: 'uma-smp4', mode: 'disco',
    machineOverrides: { cpusPerNode: 2, cpuModel: 'fast', memoryPerNodeMB: 64 },
    vms, guest: { init, ...(programs.length ? { programs } : {}) }, ...(load ? { load } : {}),
    limits: { maxCycles: 2_000_000_000 },
  };
}

describe('the guest OS serves the load generator under Disco', () => {
  it('two VMs answer every request right, deterministically; the record has the load (Denali\'s shape)', async () => {
    const exp = disco([{ name: 'web', vcpus: 1, memoryMB: 16, variant: 'hal', copies: 2 }], LOAD);
    const a = await run(exp), b = await run(exp);
    const { host: _a, ...ra } = a; const { host: _b, ...rb } = b;
    expect(ra).toEqual(rb);
    expect(a.status.reason).toBe('exit');
    expect(a.status.exitCode).toBe(0);
    const l = a.load!;
    expect(l.sent).toBe(2 * 2 * 8);
    expect(l.responses).toBe(l.sent);
    expect(l.badResponses).toBe(0);
    expect(l.loadEndCycle).not.toBeNull();
    expect(l.latencyHistogram.reduce((s, x) => s + x.count, 0)).toBe(l.responses);
    expect(a.vms.map((v) => v.network.requests)).toEqual([16, 16]);
    for (const v of a.vms) expect(v.console.output).toContain('httpd up\n');
    expect(bucketsAddUp(a)).toBe(true);
    expect(validateJson(RUN_RECORD_SCHEMA, JSON.parse(JSON.stringify(a)))).toEqual([]);
    // the same service under Denali: the same record shape
    const d = await run(experiment({ vms: [{ name: 'web', count: 2 }], load: LOAD }));
    expect(Object.keys(l).sort()).toEqual(Object.keys(d.denali!.load).sort());
    expect(d.denali!.load.responses).toBe(l.responses);
    // …and they match as one workload, side by side in Compare
    expect(workloadKey(a.experiment)).toBe('service:httpd');
    expect(workloadKey(d.experiment)).toBe('service:httpd');
    const rows = serviceCompareRows([a, d]);
    const at = (name: string) => rows.find((x) => x.name === name)!.values;
    expect(at('requests answered')).toEqual([32, 32]);
    expect(at('wrong answers')).toEqual([0, 0]);
    for (const v of [...at('throughput'), ...at('CPU time per request'), ...at('response time: median')]) expect(v).toBeGreaterThan(0);
    // the guest OS boots before its clients begin; Denali's VMs are up at once
    expect(at('first request sent at')[0]!).toBeGreaterThan(at('first request sent at')[1]!);
    // Disco's requests cost more CPU: each passes a guest kernel's system calls and the monitor
    expect(at('CPU time per request')[0]!).toBeGreaterThan(at('CPU time per request')[1]!);
    expect(serviceCompareRows([a, d].map((r) => ({ ...r, load: undefined, denali: undefined }) as never))).toEqual([]);
  }, 120_000);

  it('the ksseg kernel (every privileged instruction trapped) serves the same requests', async () => {
    const r = await run(disco([{ name: 'web', vcpus: 1, memoryMB: 16 }], { clientsPerVm: 3, requestsPerClient: 5, thinkTimeUs: 200 }));
    expect(r.load!.responses).toBe(15);
    expect(r.load!.badResponses).toBe(0);
    expect(r.monitor.byCause['emulate.mtc0'] ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it('a wrong answer is counted, an answer to a request never sent is refused; the clients go on', async () => {
    const text = readFileSync(join(ROOT, 'test', 'fixtures', 'disco', 'badweb.s'), 'utf8');
    const r = await run(disco([{ name: 'bad', vcpus: 1, memoryMB: 16, variant: 'hal' }], { clientsPerVm: 1, requestsPerClient: 4, thinkTimeUs: 100 }, 'badweb', ['badweb.s']), { 'badweb.s': text });
    expect(r.status.exitCode).toBe(0);
    expect(r.load!.responses).toBe(4);
    expect(r.load!.badResponses).toBe(1);
    expect(r.vms[0].console.output).toContain('refused\n');
  }, 120_000);

  it('natively there is no network: httpd says why and exits 1', async () => {
    const r = await run({ name: 'n', machine: 'uma-smp4', mode: 'native', machineOverrides: { cpusPerNode: 1, cpuModel: 'fast' }, guest: { init: 'httpd' }, limits: { maxCycles: 500_000_000 } });
    expect(r.console.output).toContain('httpd: no network for processes (net_recv: -38)');
    expect(r.status.exitCode).toBe(1);
    // nfsd's call returns ENOSYS too (it once ran its serving loop without a stack frame)
    const n = await run({ name: 'n', machine: 'uma-smp4', mode: 'native', machineOverrides: { cpusPerNode: 1, cpuModel: 'fast' }, guest: { init: 'nfsd 1' }, limits: { maxCycles: 500_000_000 } });
    expect(n.status.exitCode, n.console.output).toBe(0);
    expect(n.console.output).not.toContain('panic');
  }, 60_000);

  it('a load outside mode disco, or with a bad mix, is a field error', async () => {
    const n = await load({ name: 'n', machine: 'uma-smp4', mode: 'native', guest: { init: 'httpd' }, load: LOAD });
    expect(n.ok ? [] : n.errors.map((e) => e.path)).toEqual(['load']);
    const m = await load(disco([{ name: 'web', vcpus: 1, memoryMB: 16 }], { mix: [{ responseBytes: 256, weight: 0 }] }));
    expect(m.ok ? [] : m.errors.map((e) => e.path)).toEqual(['load.mix[0].weight']);
    const s = await load(disco([{ name: 'web', vcpus: 1, memoryMB: 16 }], { clientsPerVm: -1 }));
    expect(s.ok ? [] : s.errors.map((e) => e.path)).toEqual(['load.clientsPerVm']);
    const f = await load(disco([{ name: 'srv', vcpus: 1, memoryMB: 16 }, { name: 'web', vcpus: 1, memoryMB: 16, fileServer: 'srv' }], LOAD));
    expect(f.ok ? [] : f.errors.map((e) => e.message)).toEqual([expect.stringContaining('network file service')]);
  });
});
