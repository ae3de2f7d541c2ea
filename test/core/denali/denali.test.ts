/**
 * Denali mode (issue #18): the isolation kernel, the Ilwaco guest and the load generator, on
 * small deterministic runs (1 CPU, fast model).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/core/asm/index';
import { validateJson } from '../../../src/core/experiment/json-schema';
import { RUN_RECORD_SCHEMA } from '../../../src/core/experiment/run-record-schema';
import { gnuBuild, gnuTools } from '../asm/gnu';
import { bucketsAddUp, experiment, load, ROOT, runDenali } from './helpers';

const WEB = { name: 'web', count: 8 };
const LOAD = { clientsPerVm: 2, requestsPerClient: 6, thinkTimeUs: 500 };

describe('a small Denali run', () => {
  it('serves every request, correctly, deterministically, with every cycle accounted for', async () => {
    const exp = experiment({ vms: [WEB], load: LOAD });
    const a = await runDenali(exp), b = await runDenali(exp);
    const { host: _h1, ...ra } = a; const { host: _h2, ...rb } = b;
    expect(ra).toEqual(rb);
    expect(a.status.reason).toBe('exit');
    expect(a.status.exitCode).toBe(0);
    const d = a.denali!;
    expect(d.load.sent).toBe(8 * 2 * 6);
    expect(d.load.responses).toBe(d.load.sent);
    expect(d.load.badResponses).toBe(0);
    expect(d.perVmRequests).toEqual({ min: 12, mean: 12, max: 12 });
    expect(d.load.throughputPerSecond).toBeGreaterThan(0);
    expect(bucketsAddUp(a)).toBe(true);
    expect(a.console.output.split('\n').filter((l) => l.endsWith('ilwaco httpd up'))).toHaveLength(8);
    expect(validateJson(RUN_RECORD_SCHEMA, JSON.parse(JSON.stringify(a)))).toEqual([]);
  });

  it('on 2 CPUs: both CPUs serve, every request is answered, and the run repeats exactly', async () => {
    const exp = experiment({ vms: [{ name: 'w', count: 40 }], load: { clientsPerVm: 2, requestsPerClient: 5, thinkTimeUs: 100 } }, { cpus: 2 });
    const a = await runDenali(exp), b = await runDenali(exp);
    const { host: _h1, ...ra } = a; const { host: _h2, ...rb } = b;
    expect(ra).toEqual(rb);
    expect(a.denali!.load.responses).toBe(400);
    for (const c of a.cpus) expect(c.buckets.user).toBeGreaterThan(0);
    expect(bucketsAddUp(a)).toBe(true);
  });

  it('reads the virtual-registers page without a trap (memory size) and terminates with the exit call', async () => {
    const r = await runDenali(experiment({ vms: [{ name: 'x', count: 3, memoryKB: 24, program: 'fixtures/exit.s' }], load: { clientsPerVm: 0 } }));
    expect(r.status.exitCode).toBe(0);   // the load had no clients: done at once
    const r2 = await runDenali(experiment({ vms: [{ name: 'x', count: 3, memoryKB: 24, program: 'fixtures/exit.s' }, { name: 'web', count: 1 }], load: { clientsPerVm: 1, requestsPerClient: 3 } }));
    expect(r2.denali!.groups[0]).toMatchObject({ exited: 3, stopped: 0 });
    expect(r2.denali!.calls.exit).toBe(3);
    expect(r2.denali!.traps.Sys).toBeGreaterThanOrEqual(3);
  });

  it('gives each VM an ASID: switches among a few VMs flush the TLB only at start; without ASIDs every switch flushes', async () => {
    const on = await runDenali(experiment({ vms: [WEB], load: LOAD }));
    const off = await runDenali(experiment({ vms: [WEB], load: LOAD, options: { asids: 0 } }));
    expect(on.denali!.tlbFlushes).toBe(1);
    expect(off.denali!.tlbFlushes).toBeGreaterThan(on.denali!.switches / 2);
    expect(off.denali!.refills).toBeGreaterThan(on.denali!.refills);
    expect(off.denali!.switchCycles!).toBeGreaterThan(on.denali!.switchCycles!);
  });

  it('scales: 1,000 VMs on 2 CPUs, every request answered, the memory per VM reported', async () => {
    const r = await runDenali(experiment({ vms: [{ name: 'w', count: 1000 }], load: { clientsPerVm: 1, requestsPerClient: 2, thinkTimeUs: 20000 } }, { cpus: 2, memoryMB: 48 }));
    const d = r.denali!;
    expect(r.status.reason).toBe('exit');
    expect(d.load.responses).toBe(2000);
    expect(d.perVmRequests).toEqual({ min: 2, mean: 2, max: 2 });
    expect(d.memory).toMatchObject({ guestKBPerVm: 32, residentVmsPeak: 1000, guestMBTotal: 31.25 });
    expect(d.asidRollovers).toBeGreaterThan(0);
  });

  it('recycles ASIDs past 255 VMs with a flush per rollover', async () => {
    const r = await runDenali(experiment({ vms: [{ name: 'w', count: 300, memoryKB: 24 }], load: { clientsPerVm: 1, requestsPerClient: 2 } }, { memoryMB: 32 }));
    expect(r.denali!.load.responses).toBe(600);
    expect(r.denali!.asidRollovers).toBeGreaterThan(0);
    expect(r.denali!.tlbFlushes).toBe(1 + r.denali!.asidRollovers);
  });
});

describe('batched virtual interrupts', () => {
  it('without batching every interrupt for another VM preempts; with batching a woken VM takes its queue in one turn', async () => {
    const load = { clientsPerVm: 4, requestsPerClient: 20, thinkTimeUs: 200 };
    const on = await runDenali(experiment({ vms: [{ name: 'w', count: 16 }], load }));
    const off = await runDenali(experiment({ vms: [{ name: 'w', count: 16 }], load, options: { batching: 0 } }));
    expect(on.denali!.load.responses).toBe(off.denali!.load.responses);
    expect(on.denali!.interrupts.preemptions).toBe(0);
    expect(off.denali!.interrupts.preemptions).toBeGreaterThan(0);
    const perReq = (r: typeof on) => r.denali!.switches / r.denali!.load.responses;
    expect(perReq(off)).toBeGreaterThan(perReq(on));
  });
});

describe('idle-with-timeout', () => {
  it('without it the guest polls its page: no idle calls, more CPU burnt in user mode, slower responses', async () => {
    const load = { clientsPerVm: 1, requestsPerClient: 10, thinkTimeUs: 2000 };
    const on = await runDenali(experiment({ vms: [{ name: 'w', count: 8 }], load }));
    const off = await runDenali(experiment({ vms: [{ name: 'w', count: 8 }], load, options: { idleWithTimeout: 0 } }));
    expect(on.denali!.calls.idle).toBeGreaterThan(0);
    expect(off.denali!.calls.idle ?? 0).toBe(0);
    expect(off.denali!.load.responses).toBe(on.denali!.load.responses);
    expect(off.totals.buckets.user).toBeGreaterThan(5 * on.totals.buckets.user);
    expect(off.totals.buckets.idle).toBeLessThan(on.totals.buckets.idle);
    expect(off.denali!.load.meanResponseUs!).toBeGreaterThan(on.denali!.load.meanResponseUs!);
  });

  it('an idle VM wakes on its timeout: the guest keeps its 200 ms housekeeping tick with no traffic', async () => {
    const r = await runDenali(experiment({ vms: [{ name: 'w', count: 2 }], load: { clientsPerVm: 0 } }));
    // no clients: the load is done at once and the machine powers off
    expect(r.status.reason).toBe('exit');
    expect(r.cycles).toBeLessThan(1_000_000);
    // 1 s of load, but every client's first request falls after it: the VMs only idle, through
    // the guest's 200 ms ticks (each a timer wake: an idle call that returns the timer bit)
    const t = await runDenali(experiment({ vms: [{ name: 'w', count: 2 }], load: { clientsPerVm: 1, durationMs: 1000, thinkTimeUs: 1e9 } }));
    expect(t.status.reason).toBe('exit');
    expect(t.cycles).toBeGreaterThanOrEqual(200_000_000);
    expect(t.denali!.load.responses).toBe(0);
    expect(t.denali!.calls.idle).toBe(2 * 5);
    expect(t.denali!.interrupts.posted).toBe(2 * 4);
  });
});

describe('round-robin with a boost after idling', () => {
  it('a VM woken from idle runs next, not after every busy VM in the queue', async () => {
    // 1 CPU: three VMs that never stop computing (the watchdog off) and one web VM with a client
    const exp = (idleBoost: number) => experiment({
      vms: [{ name: 'spin', count: 3, memoryKB: 16, program: 'fixtures/loop.s' }, { name: 'web' }],
      load: { clientsPerVm: 1, requestsPerClient: 20, thinkTimeUs: 3000 },
      options: { idleBoost, watchdogCycles: 0, sliceCycles: 100_000 },
    }, { maxCycles: 40_000_000 });
    // the spinners' own clients (clientsPerVm applies to every VM) never get an answer: the run ends at its limit
    const on = await runDenali(exp(1)), off = await runDenali(exp(0));
    expect(on.status.reason).toBe('maxCycles');
    const web = (r: typeof on) => r.denali!.groups[1];
    expect(web(on).requests).toBe(20);
    expect(web(off).requests).toBe(20);
    // with the boost a request waits at most for the running slice (0.5 ms); without it for the three spinners' slices
    expect(on.denali!.load.meanResponseUs!).toBeLessThan(600);
    expect(off.denali!.load.meanResponseUs!).toBeGreaterThan(2 * on.denali!.load.meanResponseUs!);
  });
});

describe('isolation: a VM that faults, loops or touches outside its memory stops with a reason; the others go on', () => {
  it('each bad guest stops with its own reason and every request to the good VMs is answered', async () => {
    const r = await runDenali(experiment({
      vms: [
        { name: 'web', count: 4 },
        { name: 'priv', program: 'fixtures/privileged.s', memoryKB: 16 },
        { name: 'wild', program: 'fixtures/wild.s', memoryKB: 16 },
        { name: 'kseg', program: 'fixtures/kseg.s', memoryKB: 16 },
        { name: 'vregs', program: 'fixtures/vregs.s', memoryKB: 16 },
        { name: 'loop', program: 'fixtures/loop.s', memoryKB: 16 },
      ],
      load: { clientsPerVm: 1, requestsPerClient: 5 },
      options: { watchdogCycles: 2_000_000 },
    }));
    const reasons = Object.fromEntries(r.denali!.stopped.map((s) => [s.name, s.reason]));
    expect(reasons.priv).toMatch(/privileged instruction at pc 0x1000/);
    expect(reasons.wild).toMatch(/touched 0x100000, outside its memory \(0x0–0x3fff\)/);
    expect(reasons.kseg).toMatch(/address error .*load from 0x80000000/);
    expect(reasons.vregs).toMatch(/read-only virtual-registers page/);
    expect(reasons.loop).toMatch(/without a monitor call .*watchdog/);
    expect(r.denali!.groups[0]).toMatchObject({ name: 'web', stopped: 0, requests: 20 });
    expect(r.denali!.load.badResponses).toBe(0);
    // the clients of the stopped VMs gave up; the run still ends when the load is done
    expect(r.status.reason).toBe('exit');
    expect(bucketsAddUp(r)).toBe(true);
  });
});

describe('the virtual network', () => {
  it('translates a buffer that crosses a page boundary word by word (a swapped-in VM\'s pages are not contiguous)', async () => {
    // 2 MiB machine: 1 MiB = 256 pages for VMs of 4 pages: 64 of the 70 fit, the others swap in
    // (into the pages of evicted VMs, in another order)
    const r = await runDenali(experiment({ vms: [{ name: 'echo', count: 70, memoryKB: 16, program: 'fixtures/echo.s' }], load: { clientsPerVm: 1, requestsPerClient: 3, thinkTimeUs: 2000 } }, { memoryMB: 2, maxCycles: 4e9 }));
    expect(r.denali!.swap.swapIns).toBeGreaterThan(0);
    expect(r.denali!.groups[0]).toMatchObject({ name: 'echo', stopped: 0, requests: 210 });
    expect(r.denali!.load.badResponses).toBe(0);
  });
});

describe('the gatekeeper: more VMs than memory', () => {
  it('admits what fits, swaps whole VMs in and out, and still answers every request', async () => {
    // 6 MiB machine, 1 MiB reserved: 5 MiB = 160 VMs of 32 KiB; 240 VMs
    const r = await runDenali(experiment({ vms: [{ name: 'w', count: 240 }], load: { clientsPerVm: 1, requestsPerClient: 2, thinkTimeUs: 5000 } }, { memoryMB: 6, maxCycles: 4e9 }));
    const d = r.denali!;
    expect(r.status.reason).toBe('exit');
    expect(d.swap.admitted).toBe(160);
    expect(d.swap.swapIns).toBeGreaterThanOrEqual(80);
    expect(d.swap.swapOuts).toBeGreaterThan(0);
    expect(d.memory.residentVmsPeak).toBeLessThanOrEqual(160);
    expect(d.load.responses).toBe(480);
    expect(d.load.badResponses).toBe(0);
    expect(d.memory.metadataBytesPerVm).toBeGreaterThan(0);
    expect(d.memory.metadataBytesPerVm).toBeLessThan(9 * 1024);
  });

  it('refuses an experiment that does not fit when swapping is off', async () => {
    await expect(runDenali(experiment({ vms: [{ name: 'w', count: 400 }], options: { swap: 0 } }, { memoryMB: 6 }))).rejects.toThrow(/denali.options.swap.*turn swap on/);
  });
});

describe('experiment validation (field-level)', () => {
  it('names each bad field', async () => {
    const l = await load(experiment({ vms: [{ count: 2, memoryKB: 30 }, { name: 'x', count: 0 }], options: { costs: { nope: 1 } } }));
    expect(l.ok).toBe(false);
    const paths = (l as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toContain('denali.vms[1].count');
    const l2 = await load(experiment({ vms: [{ count: 2, memoryKB: 30 }], options: { costs: { nope: 1 } } }));
    expect((l2 as { errors: { path: string; message: string }[] }).errors.map((e) => e.path)).toEqual(['denali.vms[0].memoryKB', 'denali.options.costs.nope']);
    const l3 = await load({ ...experiment({ vms: [{}] }), mode: 'disco' });
    expect((l3 as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('denali');
  });
});

const tools = gnuTools();
describe.skipIf(!tools.ok)('the Ilwaco guest is GNU-as compatible', () => {
  it('httpd.s + ilwaco.s + service.s: every section identical with mips-linux-gnu-as -O0 + ld', () => {
    const dir = join(ROOT, 'resources', 'guest', 'denali');
    const file = (n: string) => ({ path: n, text: readFileSync(join(dir, n), 'utf8') });
    const ours = assemble([file('httpd.s')], { textBase: 0x1000, dataBase: 0x2000, elf: false, include: (n) => file(n) });
    expect(ours.ok).toBe(true);
    const g = gnuBuild([file('httpd.s')], 0x1000, 0x2000, [file('ilwaco.s'), file('service.s')]);
    expect(g.ok, g.stderr).toBe(true);
    for (const s of ours.image!.segments) {
      expect(g.sections[s.name!].addr >>> 0, s.name).toBe(s.vaddr >>> 0);
      expect(Buffer.from(s.bytes).toString('hex'), s.name).toBe(Buffer.from(g.sections[s.name!].bytes).toString('hex'));
    }
  });
});

describe('the record\'s distributions (for results at 10,000 VMs: summaries, not bars)', () => {
  it('response-time percentiles and histogram, throughput over time: consistent with the totals', async () => {
    const r = await runDenali(experiment({ vms: [{ name: 'w', count: 20 }], load: { clientsPerVm: 2, requestsPerClient: 0, thinkTimeUs: 200, durationMs: 20 } }));
    const l = r.denali!.load;
    expect(l.responses).toBeGreaterThan(100);
    // every response is in exactly one bin; bins are increasing and disjoint
    expect(l.latencyHistogram.reduce((s, b) => s + b.count, 0)).toBe(l.responses);
    for (let i = 1; i < l.latencyHistogram.length; i++) expect(l.latencyHistogram[i].fromUs).toBeGreaterThanOrEqual(l.latencyHistogram[i - 1].toUs - 1e-3);
    const p = l.latencyUs!;
    expect(p.p50).toBeLessThanOrEqual(p.p90);
    expect(p.p90).toBeLessThanOrEqual(p.p99);
    expect(p.p99).toBeLessThanOrEqual(p.max);
    // the mean lies between the fastest bin's lower edge and the slowest's upper edge
    expect(l.meanResponseUs!).toBeGreaterThanOrEqual(l.latencyHistogram[0].fromUs);
    expect(l.meanResponseUs!).toBeLessThanOrEqual(p.max);
    // throughput over time integrates to the responses; spans are contiguous from 0
    const t = l.throughputOverTime;
    expect(t.length).toBeGreaterThan(5);
    expect(t.length).toBeLessThanOrEqual(100);
    expect(t[0].fromMs).toBe(0);
    for (let i = 1; i < t.length; i++) expect(t[i].fromMs).toBeCloseTo(t[i - 1].toMs, 6);
    expect(t.reduce((s, x) => s + (x.perSecond * (x.toMs - x.fromMs)) / 1000, 0)).toBeCloseTo(l.responses, 0);
  }, 120_000);
});
