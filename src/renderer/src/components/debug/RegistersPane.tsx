/** Registers of the thread, and its CP0: for a vCPU its virtual CP0 beside the hardware CP0 of its CPU. */
import type { DebugThreadState } from '../../../../shared/debug/types';
import { hex8 } from './format';

const CP0_SHOWN = ['Index', 'Random', 'EntryLo0', 'EntryLo1', 'Context', 'PageMask', 'Wired', 'BadVAddr', 'Count', 'EntryHi', 'Compare', 'Status', 'Cause', 'EPC', 'PRId', 'Config', 'ErrorEPC'];

export function RegistersPane({ st }: { st: DebugThreadState }) {
  const r = st.registers;
  const hw = st.cp0.hardware;
  return (
    <section className="debug-pane" aria-label="Registers">
      <h3>Registers <span className="muted small">{r.mode} mode{r.inDelaySlot ? ', in a delay slot' : ''}</span></h3>
      <table className="debug-regs mono" data-testid="debug-registers">
        <tbody>
          {Array.from({ length: Math.ceil(r.names.length / 3) }, (_, row) => (
            <tr key={row}>
              {[0, 1, 2].map((c) => {
                const i = row * 3 + c;
                return i < r.names.length
                  ? [<th key={`n${i}`}>{r.names[i]}</th>, <td key={`v${i}`} data-reg={r.names[i]}>{hex8(r.values[i])}</td>]
                  : null;
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <h3>CP0 {hw !== undefined && <span className="muted small">virtual (the guest's) | hardware (CPU {st.thread.onCpu ?? '—'})</span>}</h3>
      <table className="debug-regs mono" data-testid="debug-cp0">
        <tbody>
          {CP0_SHOWN.map((n) => (
            <tr key={n}>
              <th>{n}</th>
              <td data-cp0={n}>{hex8(st.cp0.regs[n] ?? 0)}</td>
              {hw !== undefined && <td data-hw-cp0={n}>{hw ? hex8(hw.regs[n] ?? 0) : '—'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
