/**
 * The TLB-miss path side by side: the same miss natively (the guest kernel's refill handler) and
 * under Disco (the monitor's trap, virtual-TLB and L2-TLB probes, insert or forward, the emulated
 * privileged instructions), each step with its cycles and cost-model entry, and the totals; the
 * caption names the data structures Disco adds.
 */
import type { MissPath } from '../../../../shared/debug/types';
import { fmt, hex8, shortFile } from './format';

const OUTCOME: Record<MissPath['outcome'], string> = {
  refill: 'served by the guest kernel\'s refill handler (hardware-assisted: mfc0, tlbwr and eret run directly)',
  'vtlb-hit': 'served by the monitor from the virtual TLB',
  'l2tlb-hit': 'served by the monitor from the L2 TLB: the guest never saw it',
  forwarded: 'forwarded to the guest\'s refill handler, whose privileged instructions the monitor emulates',
  ksseg: 'a miss in the supervisor segment, mapped by the monitor',
  other: 'not a plain refill (or the trace stopped early)',
};

function Column({ path, title, experiment, testId }: { path: MissPath; title: string; experiment: string; testId: string }) {
  return (
    <div className="miss-column" data-testid={testId}>
      <h4>{title} <span className="muted small">{shortFile(experiment)}</span></h4>
      <p className="small">Miss at <span className="mono">{hex8(path.vaddr)}</span> by <span className="mono">{hex8(path.faultPc)}</span> — {OUTCOME[path.outcome]}.</p>
      <table className="mono debug-table miss-steps">
        <thead><tr><th>where</th><th>step</th><th className="num">cycles</th><th>cost entry</th></tr></thead>
        <tbody>
          {path.steps.map((s, i) => (
            <tr key={i} className={`miss-${s.kind}`} data-action={s.action}>
              <td>{s.kind === 'instruction' ? hex8(s.pc ?? 0) : s.kind === 'monitor' ? 'monitor' : 'hardware'}</td>
              <td>{s.text}{s.source && <span className="muted"> · {shortFile(s.source)}</span>}</td>
              <td className="num">{fmt(s.cycles)}</td>
              <td>{s.cost ?? ''}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr><td /><td>Total{path.monitorCycles ? ` (of which the monitor: ${fmt(path.monitorCycles)})` : ''}</td><td className="num" data-testid={`${testId}-total`}>{fmt(path.totalCycles)}</td><td /></tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Both columns (`compareMiss`), or one when the experiment has no twin (`traceMiss`). */
export interface MissShown { native?: MissPath; disco?: MissPath; experiments: { native?: string; disco?: string } }

export function MissPathView({ cmp, onClose }: { cmp: MissShown; onClose(): void }) {
  const { native, disco } = cmp;
  const ratio = native && disco && native.totalCycles > 0 ? disco.totalCycles / native.totalCycles : 0;
  return (
    <section className="debug-pane miss-path" aria-label="TLB-miss path">
      <h3>
        The TLB-miss path{native && disco ? ', side by side' : ''}{' '}
        <button type="button" className="link-button" onClick={onClose} aria-label="Close the miss path">close</button>
      </h3>
      <p className="small" data-testid="miss-caption">
        {native && disco
          ? <>The same miss (instruction and page) in both runs: natively {fmt(native.totalCycles)} cycles, under Disco {fmt(disco.totalCycles)}{ratio ? ` (${ratio.toFixed(1)}×)` : ''}. </>
          : <>This experiment has no twin in the other mode beside it (name them …-native.json and …-disco.json) — one column only. </>}
        Disco adds three data structures to the path: the <b>virtual TLB</b> (per vCPU: what the guest wrote, guest page numbers), the{' '}
        <b>L2 TLB</b> (per vCPU: a larger software TLB of translations the guest&apos;s TLB lost, probed before the guest is bothered) and the{' '}
        <b>pmap</b> (per VM: guest-physical page → machine page, used for every insert into the hardware TLB).
      </p>
      <div className="miss-columns">
        {native && <Column path={native} title="Without Disco (native)" experiment={cmp.experiments.native ?? ''} testId="miss-native" />}
        {disco && <Column path={disco} title="With Disco" experiment={cmp.experiments.disco ?? ''} testId="miss-disco" />}
      </div>
    </section>
  );
}
