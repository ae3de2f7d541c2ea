/**
 * The headless debugger (issue #17): breakpoints on lines, addresses, exceptions and monitor
 * events, watchpoints, step / next / out per CPU and per vCPU, reads — and a run stopped and
 * continued by the debugger ends with exactly the record of the run never stopped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DebugSession } from '../../../src/core/debug/session';
import { DebugError } from '../../../src/core/debug/errors';
import { experimentLineTables } from '../../../src/core/debug/programs';
import { loaded, simulated } from '../snapshot/helpers';

const ROOT = join(__dirname, '..', '..', '..');

const PROGRAM = 'bare-hello.s';

async function bareHello() {
  const l = await loaded('bare-hello');
  const lines = experimentLineTables(l.resolved, l.inputs);
  return { ...l, lines };
}

describe('debug session on a native bare-metal run (bare-hello, 8 CPUs)', () => {
  it('line breakpoint, registers, step, next over a call, step out; the continued run ends as the uninterrupted one', async () => {
    const { fresh, lines, resolved } = await bareHello();
    expect(lines.length).toBe(1);
    const whole = simulated(fresh().run().record);

    const p = fresh();
    const s = new DebugSession(p, { lines, limits: resolved.limits });
    // line 37: `jal puts` (CPU 0's first call)
    const bp = s.setBreakpoint({ kind: 'line', file: PROGRAM, line: 37 });
    expect(bp.line).toBe(37);
    let e = s.continue();
    expect(e.reason).toBe('breakpoint');
    expect(e.thread).toEqual({ cpu: 0 });
    expect(s.locate(s.inspect.pcOf({ cpu: 0 }))).toEqual({ file: expect.stringContaining(PROGRAM), line: 37 });
    const regs = s.inspect.registers({ cpu: 0 });
    expect(regs.names[4]).toBe('a0');
    expect(regs.values[4]).toBeGreaterThan(0x80000000);   // la $a0, msg_hello just ran
    expect(regs.mode).toBe('kernel');

    // next: over `jal puts` and its delay slot (the assembler fills it with a nop, as GNU as does
    // in reorder mode) to line 38's own nop
    e = s.next({ cpu: 0 });
    expect(e.reason).toBe('step');
    expect(s.locate(s.inspect.pcOf({ cpu: 0 }))?.line).toBe(38);
    expect(s.inspect.pcOf({ cpu: 0 })).toBe(bp.addr! + 8);
    // step into the next call (`jal putdigit`, line 40)
    s.clearBreakpoints();
    let steps = 0;
    while ((s.locate(s.inspect.pcOf({ cpu: 0 }))?.line ?? 0) < 120 && steps < 10) { s.step({ cpu: 0 }); steps++; }
    expect(steps).toBe(4);   // addiu, jal, its delay slot → putdigit's first instruction
    e = s.stepOut({ cpu: 0 });
    expect(e.reason).toBe('step');
    expect(s.locate(s.inspect.pcOf({ cpu: 0 }))?.line).toBe(41);   // the instruction after `jal putdigit` and its delay slot
    // one instruction per step
    const n0 = s.inspect.instructionsOf({ cpu: 0 });
    s.step({ cpu: 0 });
    expect(s.inspect.instructionsOf({ cpu: 0 })).toBe(n0 + 1);

    e = s.continue();
    expect(e.reason).toBe('end');
    expect(e.end?.reason).toBe('exit');
    expect(simulated(p.run().record)).toEqual(whole);
  }, 120_000);

  it('breakpoints per CPU and on exceptions; memory in each space; watchpoint', async () => {
    const { fresh, lines, resolved } = await bareHello();
    const p = fresh();
    const s = new DebugSession(p, { lines, limits: resolved.limits });
    // CPU 3 reaches `turn` only after the token passed CPUs 0..2
    const turn = lines[0].addressOf(PROGRAM, 35)!.addr;
    s.setBreakpoint({ kind: 'address', addr: turn, thread: { cpu: 3 } });
    let e = s.continue();
    expect(e).toMatchObject({ reason: 'breakpoint', thread: { cpu: 3 } });
    expect(s.inspect.pcOf({ cpu: 3 })).toBe(turn);
    // the code at the breakpoint, read three ways: virtual (kseg0) = machine = the assembled bytes
    const v = s.inspect.readMemory({ space: 'virtual', thread: { cpu: 3 }, addr: turn, length: 8 });
    const m = s.inspect.readMemory({ space: 'machine', addr: turn & 0x1fffffff, length: 8 });
    expect([...v]).toEqual([...m]);
    expect(s.inspect.readWord({ space: 'virtual', thread: { cpu: 3 } }, turn)).toBe(((v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3]) >>> 0);
    // the shared counter (ll/sc) is watched: the next change stops the run
    const counter = lines[0].addressOf(PROGRAM, 143)!.addr;
    s.clearBreakpoints();
    const before = s.inspect.readWord({ space: 'virtual', thread: { cpu: 3 } }, counter);
    s.setBreakpoint({ kind: 'watch', space: 'virtual', thread: { cpu: 3 }, addr: counter, length: 4 });
    e = s.continue();
    expect(e.reason).toBe('watchpoint');
    expect(e.thread).toEqual({ cpu: 3 });
    expect(s.inspect.readWord({ space: 'virtual', thread: { cpu: 3 } }, counter)).toBe(before + 4);
    s.clearBreakpoints();
    // an exception breakpoint: interrupts (ExcCode 0) never happen here (IE = 0): the run ends
    s.setBreakpoint({ kind: 'exception', code: 0 });
    e = s.continue();
    expect(e.reason).toBe('end');
    // hardware TLB and CP0 reads
    expect(s.inspect.hardwareTlb(0)).toHaveLength(64);
    expect(s.inspect.cp0({ cpu: 0 }).regs.PRId).toBe(0x00018000);
  }, 120_000);

  it('typed errors for bad input, never a crash', async () => {
    const { fresh, lines } = await bareHello();
    const s = new DebugSession(fresh(), { lines });
    const code = (f: () => unknown) => { try { f(); } catch (e) { expect(e).toBeInstanceOf(DebugError); return (e as DebugError).code; } return 'none'; };
    expect(code(() => s.inspect.registers({ cpu: 99 }))).toBe('E_NO_THREAD');
    expect(code(() => s.inspect.registers({ vcpu: 0 }))).toBe('E_NO_THREAD');
    expect(code(() => s.step({ cpu: -1 }))).toBe('E_NO_THREAD');
    expect(code(() => s.inspect.readMemory({ space: 'machine', addr: 0x7fffffff, length: 4 }))).toBe('E_BAD_ADDRESS');
    expect(code(() => s.inspect.readMemory({ space: 'virtual', thread: { cpu: 0 }, addr: 0x9f000000, length: 4 }))).toBe('E_BAD_ADDRESS');   // kseg0 beyond RAM
    expect(code(() => s.setBreakpoint({ kind: 'address', addr: 3 }))).toBe('E_BAD_ARGUMENT');
    expect(code(() => s.setBreakpoint({ kind: 'line', file: PROGRAM, line: 100000 }))).toBe('E_NO_SOURCE');
    expect(code(() => s.setBreakpoint({ kind: 'monitor', event: 'tlb.forward' }))).toBe('E_NO_VM');
    expect(code(() => s.inspect.pmap(0))).toBe('E_NO_VM');
    expect(code(() => s.goToCycle(10))).toBe('none');
    expect(code(() => s.goToCycle(5))).toBe('E_NO_HISTORY');
  });
});

describe('the guest OS kernel\'s own source lines', () => {
  for (const name of ['pmake-native-1cpu', 'pmake-disco-1cpu-1vm']) {
    it(`${name}: a breakpoint in the kernel's TLB refill handler stops there, at its source line`, async () => {
      const { fresh, resolved, inputs } = await loaded(name);
      const lines = experimentLineTables(resolved, inputs);
      const p = fresh();
      const s = new DebugSession(p, { lines, limits: resolved.limits });
      // the `tlb_refill:` label's line (a label: the breakpoint moves to its first instruction, the next line)
      const label = readFileSync(join(ROOT, 'resources/guest/kernel/kernel.s'), 'utf8').split('\n').indexOf('tlb_refill:') + 1;
      const bp = s.setBreakpoint({ kind: 'line', file: 'kernel/kernel.s', line: label });
      expect(bp.line).toBe(label + 1);
      const e = s.continue();
      expect(e.reason).toBe('breakpoint');
      const t = e.thread!;
      // the refill vector: KERNBASE + 0 (kseg0 natively, the supervisor segment under Disco)
      expect(s.inspect.pcOf(t)).toBe(name.includes('disco') ? 0xc0000000 : 0x80000000);
      expect(s.locate(s.inspect.pcOf(t), t)).toEqual({ file: expect.stringMatching(/guest\/kernel\/kernel\.s$/), line: label + 1 });
      expect(s.inspect.registers(t).mode).toBe('kernel');
      // the miss being served: BadVAddr, a user address (virtual CP0 under Disco)
      expect(s.inspect.cp0(t).regs.BadVAddr).toBeLessThan(0x80000000);
    }, 120_000);
  }
});

describe('debug session on Disco runs', () => {
  it('monitor event: the next forwarded TLB miss of VM 0; vCPU reads; continued run = uninterrupted run', async () => {
    const { fresh, resolved } = await loaded('pmake-disco-1cpu-1vm');
    const whole = simulated(fresh().run().record);
    const p = fresh();
    const s = new DebugSession(p, { limits: resolved.limits });
    expect(s.inspect.threads().map((t) => t.name)).toEqual(['vm0 vCPU 0']);
    s.setBreakpoint({ kind: 'monitor', event: 'tlb.forward', vm: 0 });
    const forwards = () => p.monitor!.acct.vms[0].byCause['tlb.forward'] ?? 0;
    for (let i = 0; i < 3; i++) {
      const before = forwards();
      const e = s.continue();
      expect(e).toMatchObject({ reason: 'monitor', thread: { vcpu: 0 } });
      expect(forwards()).toBeGreaterThan(before);
    }
    // the guest's handler runs next (a refill reflected to the guest): virtual CP0 beside the hardware CP0
    const cp0 = s.inspect.cp0({ vcpu: 0 });
    expect(cp0.hardware).not.toBeNull();
    // two register files: the guest's virtual Status (its own mode bits) is not the hardware's (IE, IM, KSU set by the monitor)
    expect(cp0.regs.Status).not.toBe(cp0.hardware!.regs.Status);
    expect(cp0.regs.PRId).toBe(cp0.hardware!.regs.PRId);
    // step the vCPU; its registers are the CPU's while it runs
    const i0 = s.inspect.instructionsOf({ vcpu: 0 });
    expect(s.step({ vcpu: 0 }).reason).toBe('step');
    expect(s.inspect.instructionsOf({ vcpu: 0 })).toBe(i0 + 1);
    expect(s.inspect.registers({ vcpu: 0 }).values).toEqual(s.inspect.registers({ cpu: 0 }).values);
    // Disco structures
    const l2 = s.inspect.l2Tlb(0);
    expect(l2.stats.misses).toBeGreaterThan(0);
    expect(l2.entries).toBe(1024);
    expect(l2.valid.length).toBeLessThanOrEqual(l2.stats.inserts);
    const pm = s.inspect.pmap(0, 0, 16);
    expect(pm.entries.some((x) => x.mpn >= 0)).toBe(true);
    const backed = pm.entries.find((x) => x.mpn >= 0)!;
    expect(s.inspect.memmap(backed.mpn, 1).entries[0]).toMatchObject({ owner: 0, gppn: backed.gppn });
    // guest-physical and machine reads agree through the pmap
    expect([...s.inspect.readMemory({ space: 'guest', vm: 0, addr: backed.gppn * 4096, length: 64 })])
      .toEqual([...s.inspect.readMemory({ space: 'machine', addr: backed.mpn * 4096, length: 64 })]);
    expect(s.inspect.missCounters(backed.mpn).byNode).toHaveLength(1);
    expect(s.inspect.virtualTlb(0)).toHaveLength(64);

    s.detach();
    expect(p.monitor!.observer).toBeNull();
    expect(simulated(p.run().record)).toEqual(whole);
  }, 300_000);

  it('2 CPUs, 2 VMs: a breakpoint on one vCPU stops only it; stepped and continued, the run ends as the uninterrupted one', async () => {
    const edit = (e: Record<string, unknown>) => { e.machineOverrides = { ...(e.machineOverrides as object), nodes: 2, memoryPerNodeMB: 64 }; };
    const { fresh, resolved } = await loaded('pmake-disco-4cpu-2vm', edit);
    const whole = simulated(fresh().run().record);
    const p = fresh();
    const s = new DebugSession(p, { limits: resolved.limits });
    expect(s.inspect.threads()).toHaveLength(p.monitor!.vcpus.length);
    // run a little, then break on the current guest pc of VM 1's first vCPU
    expect(s.goToCycle(3_000_000).reason).toBe('goto');
    const v = p.monitor!.vms[1].vcpus[0];
    s.setBreakpoint({ kind: 'exception', code: 8, thread: { vcpu: v.gid } });   // its next system call
    const e = s.continue();
    expect(e.reason).toBe('exception');
    expect(e.thread).toEqual({ vcpu: v.gid });
    s.clearBreakpoints();
    for (let i = 0; i < 20; i++) expect(s.step({ vcpu: v.gid }).reason).toBe('step');
    s.detach();
    expect(simulated(p.run().record)).toEqual(whole);
  }, 300_000);
});
