/**
 * New file from a template (src/templates.ts): a guest user program, a bare-metal program, a
 * machine (from a preset), an experiment (native or Disco), or an empty file. The path is
 * proposed from the template (a free name in its folder); Enter creates and opens it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MachinePreset } from '../../../shared/api';
import { api } from '../api';
import { bareProgramText, defaultTemplate, experimentTemplate, guestProgramText, machineText, programName, schemaHasGuest, TEMPLATES, uniqueName, type TemplateId } from '../templates';
import { trapTab } from './Dialog';

interface Props {
  /** The folder the user was in (selected in the tree). */
  folder: string;
  /** Every file path of the workspace (for free names and the experiment's program). */
  taken: ReadonlySet<string>;
  initial?: TemplateId;
  onCreate(path: string, text: string): void;
  onClose(): void;
}

export function NewFileDialog({ folder, taken, initial, onCreate, onClose }: Props) {
  const [template, setTemplate] = useState<TemplateId>(initial ?? defaultTemplate(folder));
  const info = TEMPLATES.find((t) => t.id === template)!;
  const proposed = useMemo(() => {
    const f = template === 'empty' ? folder : folder.split('/')[0] === info.folder ? folder : info.folder;
    return uniqueName(f, info.name, taken);
  }, [template, folder, info, taken]);
  const [path, setPath] = useState<string>();
  const [presets, setPresets] = useState<MachinePreset[]>([]);
  const [preset, setPreset] = useState('flash-4x2');
  const [guest, setGuest] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    void api.machine.presets().then(setPresets, () => {});
    void api.experiment.schema().then((s) => setGuest(schemaHasGuest(s)), () => {});
    root.current?.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.focus();
  }, []);
  const target = (path ?? proposed).trim();

  const text = (): string => {
    const stem = programName(target);
    switch (template) {
      case 'guest-program': return guestProgramText(stem);
      case 'bare-program': return bareProgramText(stem);
      case 'machine': {
        const p = presets.find((x) => x.name === preset) ?? presets[0];
        return p ? machineText(p, stem) : '{}\n';
      }
      case 'experiment-native':
      case 'experiment-disco': {
        const programs = [...taken].filter((p) => /^programs\/[^/]+\.s$/.test(p)).sort();
        const program = guest ? programs.find((p) => !/bare/.test(p)) : programs.find((p) => /bare/.test(p));
        return experimentTemplate(template === 'experiment-native' ? 'native' : 'disco', stem, { guest, program });
      }
      default: return '';
    }
  };
  const create = () => {
    if (!target || taken.has(target)) return;
    onClose();
    onCreate(target, text());
  };

  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div
        className="modal new-file"
        role="dialog"
        aria-modal="true"
        aria-labelledby="new-file-title"
        ref={root}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          trapTab(e, root.current);
          if (e.key === 'Escape') { e.preventDefault(); onClose(); }
          if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement) && !(e.target instanceof HTMLSelectElement)) { e.preventDefault(); create(); }
        }}
      >
        <h2 id="new-file-title">New file</h2>
        <div className="template-list" role="radiogroup" aria-label="Template">
          {TEMPLATES.map((t) => (
            <label key={t.id} className={`template${t.id === template ? ' selected' : ''}`}>
              <input type="radio" name="template" value={t.id} checked={t.id === template} onChange={() => { setTemplate(t.id); setPath(undefined); }} />
              <span>
                <b>{t.label}</b>
                <span className="muted small"> — {t.description}</span>
              </span>
            </label>
          ))}
        </div>
        {template === 'machine' && (
          <label className="field-inline">
            Preset{' '}
            <select className="text-input" value={preset} onChange={(e) => setPreset(e.target.value)} aria-label="Machine preset">
              {presets.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
            </select>
          </label>
        )}
        <label className="field-inline">
          Path
          <input ref={nameRef} className="text-input mono" aria-label="New file path" value={path ?? proposed} spellCheck={false} onChange={(e) => setPath(e.target.value)} />
        </label>
        {taken.has(target) && <p className="error-text small">{target} exists; choose another name.</p>}
        <div className="modal-buttons">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="button" className="primary" onClick={create} disabled={!target || taken.has(target)}>Create</button>
        </div>
      </div>
    </div>
  );
}
