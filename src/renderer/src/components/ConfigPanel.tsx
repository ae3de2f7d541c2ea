/**
 * Right-hand configuration panel: for an experiment the Run panel (RunControls); for a program
 * (`.s`) its Run button (F5: the Run dialog) and the experiments written for it with their runs;
 * then the selected file's role, state and, for JSON files, whether they parse; the workspace.
 */
import type { RunSummary, WorkspaceInfo } from '../../../shared/api';
import { isDirty, type Tab } from '../state/tabs';
import type { LiveRun } from '../state/runs';
import { programName } from '../templates';
import { isAsmFile } from './EditorArea';
import { RunControls } from './RunControls';

interface Props {
  tab?: Tab;
  workspace?: WorkspaceInfo;
  runs: LiveRun[];
  records: RunSummary[];
  /** Every file path of the workspace. */
  files: string[];
  onStartRun(path: string): void;
  onStopRun(runId: string): void;
  onRunProgram(path: string): void;
  onOpen(path: string): void;
  /** Opens the Debug view on an experiment. */
  onDebug?(path: string): void;
}

const isExperiment = (p: string) => /^experiments\/[^/]+\.json$/.test(p);

const ROLES: Record<string, string> = {
  programs: 'Program (MIPS32 assembly, big-endian): a user program of the guest OS (Linux o32 system calls) or a bare-metal program. F5 runs it.',
  machines: 'Machine configuration: ccNUMA nodes, CPUs per node, memory, latency matrix, CPU model.',
  experiments: 'Experiment: a machine, native or Disco mode, the virtual machines and monitor options.',
  runs: 'Run record (disco-lab/run@1): resolved config, time buckets per CPU and VM, monitor time by cause.',
  labs: 'Lab: a paper\'s experiment as a file — a sweep of experiments, the figure beside the paper\'s numbers, and the expected shape as checks. Run it in the Labs view.',
};

export function ConfigPanel({ tab, workspace, runs, records, files, onStartRun, onStopRun, onRunProgram, onOpen, onDebug }: Props) {
  const folder = tab?.path.split('/')[0] ?? '';
  const json = tab && tab.path.endsWith('.json') && !tab.loading ? jsonStatus(tab.text) : undefined;
  const run = tab && [...runs].reverse().find((r) => r.experiment === tab.path);
  const stem = tab && isAsmFile(tab.path) ? programName(tab.path) : undefined;
  const written = stem ? files.filter((f) => new RegExp(`^experiments/${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(bare|native|disco)\\.json$`).test(f)).sort() : [];
  return (
    <div className="config">
      {tab && isExperiment(tab.path) && !tab.loading && (
        <RunControls experiment={tab.path} dirty={isDirty(tab)} run={run} records={records} onStart={() => onStartRun(tab.path)} onStop={onStopRun} onOpen={onOpen} onDebug={onDebug && (() => onDebug(tab.path))} />
      )}
      {tab && stem !== undefined && !tab.loading && (
        <section className="run-controls" aria-label="Run">
          <h3>Run</h3>
          <div className="row">
            <button type="button" className="primary" onClick={() => onRunProgram(tab.path)} title="Bare metal, on the guest OS natively, or under Disco (F5)">Run… (F5)</button>
          </div>
          {written.length > 0 && (
            <ul className="plain small" aria-label="Experiments of this program">
              {written.map((f) => {
                const r = [...runs].reverse().find((x) => x.experiment === f);
                return (
                  <li key={f}>
                    <button type="button" className="link-button" onClick={() => onOpen(f)}>{f.replace(/^experiments\//, '')}</button>
                    {r && <span className={`chip${r.state === 'failed' ? ' warn' : ''}`}>{r.state}</span>}
                    {r && (r.state === 'running' || r.state === 'stopping') && <button type="button" className="link-button" onClick={() => onStopRun(r.runId)} disabled={r.state === 'stopping'}>Stop</button>}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}
      <section>
        <h3>Selection</h3>
        {tab ? (
          <dl className="props">
            <dt>File</dt>
            <dd className="mono">{tab.path}</dd>
            <dt>Role</dt>
            <dd>{ROLES[folder] ?? 'Workspace file.'}</dd>
            <dt>State</dt>
            <dd>{tab.loading ? 'loading' : tab.saving ? 'saving…' : tab.deletedOnDisk ? 'deleted on disk' : isDirty(tab) ? 'modified (Ctrl+S saves)' : 'saved'}</dd>
            <dt>Size</dt>
            <dd>{new TextEncoder().encode(tab.text).length} bytes</dd>
            {tab.mtimeMs > 0 && (
              <>
                <dt>Modified</dt>
                <dd>{new Date(tab.mtimeMs).toLocaleString()}</dd>
              </>
            )}
            {json && (
              <>
                <dt>JSON</dt>
                <dd className={json.ok ? 'ok-text' : 'error-text'}>{json.text}</dd>
              </>
            )}
          </dl>
        ) : (
          <p className="muted">No file open.</p>
        )}
      </section>
      <section>
        <h3>Workspace</h3>
        {workspace ? (
          <dl className="props">
            <dt>Name</dt>
            <dd>{workspace.name}</dd>
            <dt>Folder</dt>
            <dd className="mono wrap">{workspace.root}</dd>
            <dt>Layout</dt>
            <dd>
              {Object.entries(workspace.folders).map(([f, ok]) => (
                <span key={f} className={`chip${ok ? '' : ' missing'}`} title={ok ? `${f}/ exists` : `${f}/ is missing`}>
                  {f}/
                </span>
              ))}
            </dd>
          </dl>
        ) : (
          <p className="muted">Connecting…</p>
        )}
      </section>
    </div>
  );
}

function jsonStatus(text: string): { ok: boolean; text: string } {
  try {
    JSON.parse(text);
    return { ok: true, text: 'valid' };
  } catch (e) {
    return { ok: false, text: e instanceof Error ? e.message : 'invalid' };
  }
}
