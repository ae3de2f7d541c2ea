/**
 * The translation structures: the hardware TLB of the thread's CPU (under Disco with each entry's
 * owner: the VM and vCPU it was written for, or the monitor's own mapping); under Disco the
 * vCPU's virtual TLB and L2 TLB (with its hit and miss counts) and the VM's pmap (guest page →
 * machine page).
 */
import type { TlbEntryView, TlbOwner } from '../../../../shared/debug/types';
import { fmt, hex } from './format';
import { useRead } from './useRead';

/** EntryLo flags: C (cache attribute, bits 5:3), D (dirty = writable, bit 2), V (valid, bit 1). */
const flags = (lo: number) => `C${(lo >>> 3) & 7}${lo & 4 ? ' D' : ''}${lo & 2 ? ' V' : ''}`;
const pfn = (lo: number, valid: boolean) => (valid ? hex((lo >>> 6) & 0xfffff) : '—');
const ownerText = (o: TlbOwner | null | undefined, vmName: (id: number) => string) =>
  !o ? '—' : `${vmName(o.vm)} vCPU ${o.vcpu}${o.monitorMade ? ' (monitor)' : ''}`;

interface TableProps { entries: TlbEntryView[]; label: string; testId: string; owners?: boolean; vmName?: (id: number) => string }

function TlbTable({ entries, label, testId, owners = false, vmName = (id) => `vm${id}` }: TableProps) {
  const used = entries.filter((e) => e.valid0 || e.valid1);
  const cols = owners ? 9 : 8;
  return (
    <table className="mono debug-table" data-testid={testId} aria-label={label}>
      <thead><tr><th>#</th><th>VPN2</th><th>ASID</th><th>PFN even</th><th>flags</th><th>PFN odd</th><th>flags</th><th>G</th>{owners && <th>owner</th>}</tr></thead>
      <tbody>
        {used.map((e) => (
          <tr key={e.index}>
            <td>{e.index}</td><td>{hex(e.vpn2 << 13)}</td><td>{e.asid}</td>
            <td>{pfn(e.entryLo0, e.valid0)}</td><td>{flags(e.entryLo0)}</td>
            <td>{pfn(e.entryLo1, e.valid1)}</td><td>{flags(e.entryLo1)}</td><td>{e.global ? 'G' : ''}</td>
            {owners && <td data-owner-vm={e.owner?.vm ?? ''}>{ownerText(e.owner, vmName)}</td>}
          </tr>
        ))}
        {used.length === 0 && <tr><td colSpan={cols} className="muted">no valid entries</td></tr>}
      </tbody>
    </table>
  );
}

interface Props { sessionId: string; cpu: number | null; vcpu: number | null; vm: number | null; version: number; disco: boolean; vmName(id: number): string }

export function TlbPanes({ sessionId, cpu, vcpu, vm, version, disco, vmName }: Props) {
  const [hw, hwErr] = useRead(sessionId, cpu === null ? null : { what: 'hardwareTlb', cpu }, version);
  const [vt] = useRead(sessionId, vcpu === null ? null : { what: 'virtualTlb', vcpu }, version);
  const [l2] = useRead(sessionId, vcpu === null ? null : { what: 'l2Tlb', vcpu }, version);
  const [pm, pmErr] = useRead(sessionId, vm === null ? null : { what: 'pmap', vm, from: 0, count: 4096 }, version);
  return (
    <section className="debug-pane debug-tlbs" aria-label="TLBs and pmap">
      <h3>Hardware TLB <span className="muted small">{cpu === null ? 'the vCPU is not on a CPU' : `CPU ${cpu}, machine page numbers`}</span></h3>
      {hwErr ? <p className="error-text small">{hwErr}</p> : hw?.what === 'hardwareTlb' && <TlbTable entries={hw.entries} label="Hardware TLB" testId="debug-hwtlb" owners={disco} vmName={vmName} />}
      {vcpu !== null && (
        <>
          <h3>Virtual TLB <span className="muted small">vCPU {vcpu}: what the guest wrote, guest page numbers</span></h3>
          {vt?.what === 'virtualTlb' && <TlbTable entries={vt.entries} label="Virtual TLB" testId="debug-vtlb" />}
          <h3>L2 TLB</h3>
          {l2?.what === 'l2Tlb' && (
            <p className="small" data-testid="debug-l2tlb">
              {fmt(l2.valid.length)} of {fmt(l2.entries)} entries valid · hits {fmt(l2.stats.hits)} · misses {fmt(l2.stats.misses)} · inserts {fmt(l2.stats.inserts)} · invalidations {fmt(l2.stats.invalidations)}
            </p>
          )}
        </>
      )}
      {vm !== null && (
        <>
          <h3>pmap <span className="muted small">vm{vm}: guest page → machine page (backed pages)</span></h3>
          {pmErr ? <p className="error-text small">{pmErr}</p> : pm?.what === 'pmap' && (
            <table className="mono debug-table" data-testid="debug-pmap" aria-label="pmap">
              <thead><tr><th>guest page</th><th>machine page</th><th>node</th><th>moves</th></tr></thead>
              <tbody>
                {pm.entries.filter((e) => e.mpn >= 0).slice(0, 512).map((e) => (
                  <tr key={e.gppn}><td>{hex(e.gppn)}</td><td>{hex(e.mpn)}</td><td>{e.node}</td><td>{e.moves}{e.replicas ? ` +${e.replicas.length} replicas` : ''}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
