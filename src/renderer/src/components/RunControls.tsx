/**
 * Run controls for an experiment file (right panel): Run / Stop, progress and the live figures
 * (simulated time, instructions, host speed, elapsed time), and where the record went. The run
 * executes in a worker of the host; this only shows what `onRunProgress` / `onRunFinished` report.
 *
 * Progress is measured against the previous complete run of the same experiment (its cycles),
 * when there is one; otherwise the bar is indeterminate — a cycle limit (often 10⁹) says nothing
 * about when a program ends. Until the worker's first figures arrive (it assembles and builds the
 * machine first) the panel says so, with the elapsed time.
 */
import { useEffect, useState } from 'react';
import type { RunSummary } from '../../../shared/api';
import { expectedCycles, progressFraction, type LiveRun } from '../state/runs';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Props {
  experiment: string;
  dirty: boolean;
  run?: LiveRun;
  records: RunSummary[];
  onStart(): void;
  onStop(runId: string): void;
  onOpen(path: string): void;
  /** Opens the Debug view on this experiment (Ctrl+Alt+D). */
  onDebug?(): void;
}

/** Seconds since `t0` [ms], re-rendered every 200 ms while `on`. */
function useElapsed(t0: number | undefined, on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, [on]);
  return t0 ? Math.max(0, (now - t0) / 1000) : 0;
}

export function RunControls({ experiment, dirty, run, records, onStart, onStop, onOpen, onDebug }: Props) {
  const running = Boolean(run && (run.state === 'running' || run.state === 'stopping'));
  const p = run?.progress;
  const expected = run ? expectedCycles(run.name, records.filter((r) => !run.finished?.path || r.path !== run.finished.path)) : undefined;
  const frac = p ? progressFraction(p.cycles, expected) : undefined;
  const elapsed = useElapsed(run?.startedAt, running);
  const preparing = running && !(p && p.cycles > 0);
  return (
    <section className="run-controls" aria-label="Run">
      <h3>Run</h3>
      <div className="row">
        <button type="button" className="primary" onClick={onStart} disabled={running} title={dirty ? 'Saves the experiment, then runs it (F5)' : `Run ${experiment} (F5)`}>
          {dirty ? 'Save and run' : 'Run'}
        </button>
        <button type="button" onClick={() => run && onStop(run.runId)} disabled={!running || run?.state === 'stopping'}>
          {run?.state === 'stopping' ? 'Stopping…' : 'Stop'}
        </button>
        {onDebug && (
          <button type="button" onClick={onDebug} title={`Debug ${experiment}: breakpoints, stepping, registers, TLBs, the TLB-miss path (Ctrl+Alt+D)`}>
            Debug
          </button>
        )}
      </div>
      {run && (
        <div className="run-status" data-testid="run-status" data-state={run.state}>
          {run.state === 'finished' ? <progress max={1} value={1} aria-label="Run progress" />
            : frac !== undefined ? <progress max={1} value={frac} aria-label="Run progress" aria-valuetext={`${Math.round(frac * 100)} % of the previous run`} />
            : <progress aria-label="Run progress (no previous run to measure against)" data-testid="progress-indeterminate" />}
          {running && (
            <p className="muted small" data-testid="progress-basis">
              {frac !== undefined ? `≈ ${Math.round(frac * 100)} % of the previous run (${fmt(expected!)} cycles)` : 'First run of this experiment: no estimate — live figures below.'}
            </p>
          )}
          <dl className="props">
            {preparing ? (
              <><dt>Preparing</dt><dd data-testid="run-preparing">assembling and building the machine… {elapsed.toFixed(1)} s</dd></>
            ) : p ? (
              <>
                <dt>Simulated</dt><dd data-testid="run-cycles">{fmt(p.cycles)} cycles ({(p.simSeconds * 1e3).toFixed(3)} ms)</dd>
                <dt>Instr.</dt><dd>{fmt(p.instructions)}</dd>
                <dt>Host</dt><dd>{p.hostMips.toFixed(1)} MIPS{running ? `, ${elapsed.toFixed(1)} s` : `, ${p.hostSeconds.toFixed(1)} s`}</dd>
              </>
            ) : null}
          </dl>
          <p className={run.state === 'failed' ? 'error-text' : 'muted'}>
            {run.state === 'running' && (run.attached ? 'Running in the host (attached after a reload)…' : 'Running in a worker…')}
            {run.state === 'stopping' && 'Stopping — the partial record will be saved.'}
            {run.state === 'finished' && run.finished?.path && (
              <>
                {run.finished.partial ? `Stopped early (${run.finished.reason}); partial record ` : `Finished (${run.finished.reason}); record `}
                <button type="button" className="link-button" onClick={() => onOpen(run.finished!.path!)}>{run.finished.path}</button>
              </>
            )}
            {run.state === 'finished' && !run.finished && 'Finished while this window was away; the record is in Runs.'}
            {run.state === 'failed' && (run.finished?.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}
          </p>
        </div>
      )}
    </section>
  );
}
