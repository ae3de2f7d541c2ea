/** Keyboard shortcuts and About (versions), opened with Ctrl+/ or Help → Keyboard Shortcuts. */
import { useEffect, useRef } from 'react';
import type { AppInfo } from '../../../shared/api';
import { SHORTCUTS } from '../shortcuts';

export function HelpOverlay({ app, onClose }: { app?: AppInfo; onClose(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div
        className="modal help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        tabIndex={-1}
        ref={ref}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2 id="help-title">Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td><kbd>{s.keys}</kbd></td>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">On macOS use ⌘ for Ctrl. In the file tree: arrows move, Enter opens, F2 renames, Delete deletes.</p>
        <h2>About</h2>
        {app ? (
          <p className="mono small">
            Disco Lab {app.version} · {app.host === 'electron' ? 'desktop' : 'browser mode'} · Node {app.versions.node}
            {app.versions.electron && ` · Electron ${app.versions.electron}`}
            {app.versions.chrome && ` · Chromium ${app.versions.chrome}`} · {app.platform}
          </p>
        ) : null}
        <div className="modal-buttons">
          <button type="button" className="primary" onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
