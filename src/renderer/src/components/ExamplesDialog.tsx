/**
 * Examples: the workloads shipped with Disco Lab (`examples.list()`), one line each, with their
 * experiments (native, under Disco, variants). Opening one copies it into the workspace first
 * when the workspace lacks it (`examples.copy`, never overwriting).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ExampleInfo } from '../../../shared/api';
import { api } from '../api';
import { describeError } from '../state/log';
import { trapTab } from './Dialog';

interface Props {
  onOpen(path: string): void;
  /** Opens an experiment in the Debug view (the TLB-miss walkthrough's one-click button). */
  onDebug?(path: string): void;
  /** Runs experiments together and compares them when all have records (the service's one-click button). */
  onRunCompare?(paths: string[]): void;
  onError(message: string): void;
  onClose(): void;
}

/** `pmake-disco-1cpu-2vm` → `1cpu-2vm`: what distinguishes an experiment inside its workload and mode. */
export function variantLabel(e: Pick<ExampleInfo, 'name' | 'workload' | 'mode'>): string {
  const rest = e.name.startsWith(`${e.workload}-${e.mode}`) ? e.name.slice(e.workload.length + e.mode.length + 2) : e.name;
  return rest || e.name;
}

/** The workload whose examples open in the Debug view with one click (docs/debugging.md). */
export const WALKTHROUGH = 'tlb-miss-walkthrough';
/** The workload whose runs (the same service under Denali and under Disco) run and compare with one click (docs/disco.md "Serving clients"). */
export const SERVICE = 'service';

export function ExamplesDialog({ onOpen, onDebug, onRunCompare, onError, onClose }: Props) {
  const [list, setList] = useState<ExampleInfo[]>();
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    void api.examples.list().then(setList, (e) => { onError(`Could not list the examples: ${describeError(e)}`); setList([]); });
    root.current?.focus();
  }, [onError]);
  const groups = useMemo(() => {
    const m = new Map<string, ExampleInfo[]>();
    for (const e of list ?? []) m.set(e.workload, [...(m.get(e.workload) ?? []), e]);
    return [...m.entries()];
  }, [list]);
  const open = async (e: ExampleInfo) => {
    try {
      if (!e.inWorkspace) await api.examples.copy(e.path);
      onClose();
      onOpen(e.path);
    } catch (err) {
      onError(`Could not open the example ${e.path}: ${describeError(err)}`);
    }
  };
  /** Copies the walkthrough's experiments (both twins) and opens the Disco one in the Debug view. */
  const debug = async (items: ExampleInfo[]) => {
    try {
      for (const e of items) if (!e.inWorkspace) await api.examples.copy(e.path);
      onClose();
      onDebug?.((items.find((i) => i.mode === 'disco') ?? items[0]).path);
    } catch (err) {
      onError(`Could not open the walkthrough: ${describeError(err)}`);
    }
  };
  /** Copies the service's experiments (Denali and Disco), runs both and compares them. */
  const runCompare = async (items: ExampleInfo[]) => {
    try {
      for (const e of items) if (!e.inWorkspace) await api.examples.copy(e.path);
      onClose();
      onRunCompare?.(items.map((e) => e.path));
    } catch (err) {
      onError(`Could not run the service examples: ${describeError(err)}`);
    }
  };
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div
        className="modal examples"
        role="dialog"
        aria-modal="true"
        aria-labelledby="examples-title"
        tabIndex={-1}
        ref={root}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => { trapTab(e, root.current); if (e.key === 'Escape') { e.preventDefault(); onClose(); } }}
      >
        <h2 id="examples-title">Examples</h2>
        <p className="muted small">The workloads shipped with Disco Lab (analogues of the paper's), each natively and under Disco. Open one to run it (F5) or to start your own from it (Duplicate).</p>
        {!list && <p className="muted">Loading…</p>}
        <div className="examples-list">
          {groups.map(([workload, items]) => (
            <section key={workload} aria-label={`Workload ${workload}`}>
              <h3>{workload}</h3>
              <p className="small">{items.find((i) => i.mode === 'native')?.summary ?? items[0].summary}</p>
              <div className="example-items">
                {items.map((e) => (
                  <button key={e.path} type="button" className="example" title={`${e.path}${e.inWorkspace ? '' : ' (copied into the workspace when opened)'}\n${e.summary}`} onClick={() => void open(e)}>
                    <span className={`chip mode-${e.mode}`}>{e.mode}</span> {variantLabel(e)}{!e.inWorkspace && <span className="muted"> +</span>}
                  </button>
                ))}
                {workload === WALKTHROUGH && onDebug && (
                  <button type="button" className="example primary" onClick={() => void debug(items)} title="Open the Disco run in the Debug view: break on the lw, then Trace next TLB miss shows it beside the native run">
                    Debug: the TLB miss, natively and under Disco
                  </button>
                )}
                {workload === SERVICE && onRunCompare && items.length > 1 && (
                  <button type="button" className="example primary" onClick={() => void runCompare(items)} title="Run the web-server-like service under Denali and under Disco with the same clients, then Compare them side by side">
                    Run both and compare: Denali beside Disco
                  </button>
                )}
              </div>
            </section>
          ))}
        </div>
        <div className="modal-buttons">
          <button type="button" onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
