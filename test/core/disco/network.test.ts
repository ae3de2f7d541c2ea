/**
 * The virtual network and the network file service (issue #16; docs/disco.md "Virtual network"):
 * client VMs read their file system from a server VM running `nfsd`; whole pages arrive by
 * remapping (the client's buffer-cache page maps the server's), with the same results as VMs
 * reading their own disks; the server exits when every client said goodbye.
 */
import { describe, expect, it } from 'vitest';
import { disk, kernel, machine } from '../guest/guest';
import { Machine } from '../../../src/core/machine/machine';
import { createMonitor, type VmSpec } from '../../../src/core/disco/monitor';
import { buildRunRecord } from '../../../src/core/experiment/record';

function run(clients: number, nfs: boolean, sharing: 0 | 1 = 1, init = 'pmake 1 1') {
  const m = new Machine(machine(2, { memoryPerNodeMB: 32, cpuModel: 'timing' }));
  const img = disk(init), k = kernel('hal').image!;
  const enc = (t: string) => new TextEncoder().encode(t);
  const specs: VmSpec[] = [];
  if (nfs) specs.push({ name: 'nfs', vcpus: 1, memoryMB: 12, kernbase: 0xc0000000, image: k, diskImage: img, consoleInput: enc(`nfsd ${clients}\n`) });
  for (let i = 0; i < clients; i++) specs.push({ name: `vm${i}`, vcpus: 1, memoryMB: 12, kernbase: 0xc0000000, image: k, diskImage: img, ...(nfs ? { fileServer: 0 } : {}) });
  const r = createMonitor(m, specs, { memorySharing: sharing });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const result = m.run({ maxCycles: 3_000_000_000 });
  r.monitor.finish(m.cpuReports().map((c, i) => c.buckets.idle - m.cpus[i].buckets.idle));
  const record = buildRunRecord({ experiment: { name: 'x', mode: 'disco' } as never, machine: m, result, limits: {} as never, monitor: r.monitor });
  return { mon: r.monitor, result, record };
}

describe('the network file service', () => {
  it('two clients read their files from the server: same output as from their own disks; pages remapped', () => {
    const served = run(2, true), local = run(2, false);
    const lines = (t: string) => t.replace(/(switches|disk-reads)=\d+/g, '$1=N');
    const [server, ...clients] = served.mon.vms;
    expect(server.consoleText()).toContain('nfsd: serving 2 client(s)\nnfsd: every client said goodbye\n');
    for (const c of clients) expect(c.consoleText()).toContain('fs: from the file server, VM 0\n');
    expect(server.exitCode).toBe(0);
    clients.forEach((c, i) => {
      expect(c.exitCode, c.consoleText()).toBe(0);
      expect(lines(c.consoleText()).replace('fs: from the file server, VM 0\n', '')).toBe(lines(local.mon.vms[i].consoleText()));
      expect(c.dev.disk.reads).toBe(0);                 // nothing from its own disk
      expect(c.dev.nic.pagesRemapped).toBeGreaterThan(0);
      expect(c.dev.nic.sent).toBeGreaterThan(0);
    });
    expect(served.result.reason).toBe('exit');
    // a client's buffer-cache pages map the server's pages: shared, counted once in M
    const s = served.record.monitor.sharing!;
    expect(s.vmPages).toBeGreaterThan(s.machinePages);
  }, 120_000);

  it('without sharing the pages are copied, with the same output', () => {
    const r = run(1, true, 0);
    const [server, client] = r.mon.vms;
    expect(server.exitCode).toBe(0);
    expect(client.exitCode, client.consoleText()).toBe(0);
    expect(client.dev.nic.pagesRemapped).toBe(0);
    expect(client.dev.nic.bytesCopied).toBeGreaterThan(0);
  }, 120_000);
});
