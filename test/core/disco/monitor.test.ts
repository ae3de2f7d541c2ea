/**
 * The monitor running the bare-metal test guest (test/fixtures/disco/basic.s) in one VM: every
 * privileged instruction trapped and emulated, exceptions reflected to the guest's vectors,
 * kseg1 console MMIO, monitor calls, user mode with guest-handled TLB refills, virtual timer.
 */
import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../../src/core/experiment/run';
import { guest, runDisco } from './helpers';

function sumSquares(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + Math.imul(i, i)) | 0;
  return s >>> 0;
}

describe('Disco monitor: one VM, basic guest', () => {
  it('runs the guest to its exit with the right output', () => {
    const r = runDisco([{}]);
    const vm = r.monitor.vms[0];
    const sum = sumSquares(4096);
    const expected = `disco guest on vcpu 0\nhello from user\nsum=${sum.toString(16).toUpperCase().padStart(8, '0')}\n`;
    expect(vm.stopReason).toBeNull();
    expect(vm.consoleText()).toBe(expected);
    expect(vm.exitCode).toBe(sum & 0xff);
    expect(r.result.reason).toBe('exit');
    expect(r.result.exitCode).toBe(sum & 0xff);
    expect(r.machine.console.text()).toBe(expected);
  });

  it('charges monitor time by cause: every emulated instruction, TLB path, device and interrupt', () => {
    const r = runDisco([{}]);
    const by = r.machine.cpuReports()[0].monitorByCause;
    for (const c of ['trap', 'emulate.mfc0', 'emulate.mtc0', 'emulate.tlbwi', 'emulate.tlbwr', 'emulate.tlbp', 'emulate.tlbr', 'emulate.eret', 'emulate.wait',
      'reflect', 'tlb.forward', 'tlb.ksseg', 'mmio', 'hypercall', 'hypercall.perPage', 'interrupt', 'interrupt.virtual', 'schedule', 'schedule.tlbFlush']) {
      expect(by[c], c).toBeGreaterThan(0);
    }
    expect(Object.values(by).reduce((a, b) => a + b, 0)).toBe(r.machine.cpus[0].buckets.monitor);
    expect(r.monitor.acct.vms[0].byCause).toEqual(by);
    expect(r.monitor.counts.emulated.tlbwr).toBe(3);        // the user program's refills, handled by the guest
    expect(r.machine.cpus[0].buckets.user).toBeGreaterThan(50_000);
  });

  it('applies cost overrides', () => {
    const a = runDisco([{}]), b = runDisco([{}], 1, { costs: { trap: 400 } });
    const ta = a.machine.cpuReports()[0].monitorByCause.trap, tb = b.machine.cpuReports()[0].monitorByCause.trap;
    expect(tb % 400).toBe(0);
    // dearer traps stretch time, so the guest's spin loop makes a few more system calls
    expect(tb / 400).toBeGreaterThanOrEqual(ta / 40);
    expect(tb / 400).toBeLessThan(1.2 * (ta / 40));
    expect(b.monitor.vms[0].consoleText()).toBe(a.monitor.vms[0].consoleText());
  });
});

describe('Disco monitor: mechanisms (test/fixtures/disco/mech.s, 2 vCPUs)', () => {
  for (const cpus of [1, 2]) {
    it(`sysinfo, delay slots, user CpU, BD/EPC, page.zero, console input, IPIs, Count, kseg1 RAM (${cpus} CPU${cpus > 1 ? 's' : ''})`, () => {
      const r = runDisco([{ vcpus: 2, image: guest('mech'), consoleInput: encodeUtf8('xy') }], cpus);
      const vm = r.monitor.vms[0];
      expect(vm.stopReason).toBeNull();
      expect(vm.exitCode, 'failed check = exit code − 200').toBe(0);
      expect(r.monitor.counts.hypercalls).toMatchObject({ 'page.zero': 1, 'console.getc': 2, 'ipi.send': 1, 'ipi.clear': 1, 'page.free': 1 });
      expect(r.monitor.counts.pagesFreed).toBe(1);
      expect(r.monitor.counts.pagesBacked).toBe(1);
      expect(r.monitor.counts.traps.CpU).toBeGreaterThan(10);
    });
  }

  it('accounts every cycle to exactly one bucket, per CPU and per VM', () => {
    const r = runDisco([{}, {}, {}], 2);
    const reports = r.machine.cpuReports();
    for (const c of reports) expect(c.buckets.user + c.buckets.kernel + c.buckets.monitor + c.buckets.idle).toBe(r.result.cycles);
    for (const k of ['user', 'kernel', 'monitor', 'idle'] as const) {
      const total = reports.reduce((s, c) => s + c.buckets[k], 0);
      expect(r.monitor.acct.vms.reduce((s, v) => s + v.buckets[k], 0) + r.monitor.acct.unattributed[k]).toBe(total);
    }
    for (const vm of r.monitor.vms) expect(vm.consoleText()).toContain('hello from user\n');
    expect(r.machine.console.text()).toContain('[vm2] hello from user\n');
  });
});
