/**
 * Snapshot files from the Debug view: save the session's machine as a `.dlsnap` file in the
 * workspace, or load one back (it must be of this experiment; the host refuses another's).
 */
import { useState } from 'react';

interface Props {
  /** The file name offered first (`snapshots/<experiment>.dlsnap`). */
  initial: string;
  disabled: boolean;
  onSave(path: string): Promise<string | null>;
  onLoad(path: string): void;
}

export function SnapshotControls({ initial, disabled, onSave, onLoad }: Props) {
  const [path, setPath] = useState(initial);
  const [note, setNote] = useState('');
  const valid = /\.dlsnap$/.test(path.trim()) && path.trim().length > '.dlsnap'.length;
  const save = async () => { setNote(''); const m = await onSave(path.trim()); if (m) setNote(m); };
  return (
    <div className="debug-toolbar" role="group" aria-label="Snapshot file">
      <label className="inline">Snapshot file <input className="mono path" value={path} onChange={(e) => setPath(e.target.value)} aria-label="Snapshot file" title="A .dlsnap file in the workspace" /></label>
      <button type="button" onClick={() => void save()} disabled={disabled || !valid} aria-label="Save snapshot" title="Save the machine as it is now to this file (workspace)">Save</button>
      <button type="button" onClick={() => { setNote(''); onLoad(path.trim()); }} disabled={disabled || !valid} aria-label="Load snapshot" title="Restore the machine from this file (a snapshot of this experiment)">Load</button>
      {note && <span className="muted small" data-testid="debug-snapshot-note">{note}</span>}
    </div>
  );
}
