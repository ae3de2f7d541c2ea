/**
 * Right-hand configuration panel: what the selected file is and what it configures. Later
 * issues put the machine and experiment forms here; today it shows the file's role in the
 * workspace, its state and, for JSON files, whether they parse.
 */
import type { WorkspaceInfo } from '../../../shared/api';
import { isDirty, type Tab } from '../state/tabs';
import type { LiveRun } from '../state/runs';
import { RunControls } from './RunControls';

interface Props {
  tab?: Tab;
  workspace?: WorkspaceInfo;
  runs: LiveRun[];
  onStartRun(path: string): void;
  onStopRun(runId: string): void;
  onOpen(path: string): void;
}

const isExperiment = (p: string) => /^experiments\/[^/]+\.json$/.test(p);

const ROLES: Record<string, string> = {
  programs: 'Guest program (MIPS32 assembly, big-endian). Assembled and loaded into a guest by an experiment.',
  machines: 'Machine configuration: ccNUMA nodes, CPUs per node, memory, latency matrix, CPU model.',
  experiments: 'Experiment: a machine, native or Disco mode, the virtual machines and monitor options.',
  runs: 'Run record (disco-lab/run@1): resolved config, time buckets per CPU and VM, monitor time by cause.',
};

export function ConfigPanel({ tab, workspace, runs, onStartRun, onStopRun, onOpen }: Props) {
  const folder = tab?.path.split('/')[0] ?? '';
  const json = tab && tab.path.endsWith('.json') && !tab.loading ? jsonStatus(tab.text) : undefined;
  const run = tab && [...runs].reverse().find((r) => r.experiment === tab.path);
  return (
    <div className="config">
      {tab && isExperiment(tab.path) && !tab.loading && (
        <RunControls experiment={tab.path} dirty={isDirty(tab)} run={run} onStart={() => onStartRun(tab.path)} onStop={onStopRun} onOpen={onOpen} />
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
            <dd>{tab.loading ? 'loading' : tab.saving ? 'saving…' : isDirty(tab) ? 'modified (Ctrl+S saves)' : 'saved'}</dd>
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
