/**
 * Run controls for an experiment file (right panel): Run / Stop, a progress bar with simulated
 * time, instructions and host speed, and where the record went. The run executes in a worker
 * of the host; this only shows what `onRunProgress` / `onRunFinished` report.
 */
import type { LiveRun } from '../state/runs';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Props {
  experiment: string;
  dirty: boolean;
  run?: LiveRun;
  onStart(): void;
  onStop(runId: string): void;
  onOpen(path: string): void;
}

export function RunControls({ experiment, dirty, run, onStart, onStop, onOpen }: Props) {
  const running = run && (run.state === 'running' || run.state === 'stopping');
  const p = run?.progress;
  const frac = p && p.maxCycles ? Math.min(1, p.cycles / p.maxCycles) : undefined;
  return (
    <section className="run-controls" aria-label="Run">
      <h3>Run</h3>
      <div className="row">
        <button type="button" className="primary" onClick={onStart} disabled={Boolean(running)} title={dirty ? 'Saves the experiment, then runs it' : `Run ${experiment}`}>
          {dirty ? 'Save and run' : 'Run'}
        </button>
        <button type="button" onClick={() => run && onStop(run.runId)} disabled={!running || run?.state === 'stopping'}>
          {run?.state === 'stopping' ? 'Stopping…' : 'Stop'}
        </button>
      </div>
      {run && (
        <div className="run-status" data-testid="run-status" data-state={run.state}>
          <progress max={1} value={run.state === 'finished' ? 1 : frac} aria-label="Run progress" />
          {p && (
            <dl className="props">
              <dt>Simulated</dt><dd data-testid="run-cycles">{fmt(p.cycles)} cycles ({(p.simSeconds * 1e3).toFixed(3)} ms)</dd>
              <dt>Instr.</dt><dd>{fmt(p.instructions)}</dd>
              <dt>Host</dt><dd>{p.hostMips.toFixed(1)} MIPS, {p.hostSeconds.toFixed(1)} s</dd>
            </dl>
          )}
          <p className={run.state === 'failed' ? 'error-text' : 'muted'}>
            {run.state === 'running' && 'Running in a worker…'}
            {run.state === 'stopping' && 'Stopping — the partial record will be saved.'}
            {run.state === 'finished' && run.finished?.path && (
              <>
                {run.finished.partial ? `Stopped early (${run.finished.reason}); partial record ` : `Finished (${run.finished.reason}); record `}
                <button type="button" className="link-button" onClick={() => onOpen(run.finished!.path!)}>{run.finished.path}</button>
              </>
            )}
            {run.state === 'failed' && (run.finished?.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}
          </p>
        </div>
      )}
    </section>
  );
}
