/**
 * The machine topology form for machines/*.json: every parameter of the machine table
 * (`machine.params()`: unit, range, description) as a field, presets, field-level validation by
 * the host (`machine.validate`), a distance-matrix editor and a topology diagram that follows
 * the form as you type. The form edits the tab's JSON text, so Source view, dirty marker, drafts
 * and Ctrl+S work as for any file; saving is refused while the validator reports errors.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ConfigError, MachineParamInfo, MachinePreset } from '../../../shared/api';
import { api } from '../api';
import { TopologyDiagram } from './TopologyDiagram';

type Obj = Record<string, unknown>;

function getPath(o: Obj, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Obj)[k] : undefined), o);
}
function setPath(o: Obj, path: string, value: unknown): Obj {
  const [k, ...rest] = path.split('.');
  const next = { ...o };
  if (!rest.length) {
    if (value === undefined) delete next[k];
    else next[k] = value;
  } else next[k] = setPath((o[k] && typeof o[k] === 'object' ? o[k] : {}) as Obj, rest.join('.'), value);
  return next;
}

const GROUPS: { title: string; match: (p: string) => boolean }[] = [
  { title: 'Machine', match: (p) => !p.includes('.') && !['diskLatencyUs', 'diskSizeMB', 'quantumCycles', 'seed'].includes(p) },
  { title: 'Caches', match: (p) => p.startsWith('caches.') },
  { title: 'Memory latency', match: (p) => p.startsWith('latency.') },
  { title: 'Devices and simulation', match: (p) => ['diskLatencyUs', 'diskSizeMB', 'quantumCycles', 'seed'].includes(p) },
];

interface Props {
  path: string;
  text: string;
  onEdit(text: string): void;
  onValidity(path: string, errors: ConfigError[] | undefined): void;
}

export function MachineForm({ path, text, onEdit, onValidity }: Props) {
  const [params, setParams] = useState<MachineParamInfo[]>([]);
  const [presets, setPresets] = useState<MachinePreset[]>([]);
  const [errors, setErrors] = useState<ConfigError[]>([]);
  const parsed = useMemo(() => {
    try {
      const v: unknown = JSON.parse(text);
      return v && typeof v === 'object' && !Array.isArray(v) ? { ok: true as const, obj: v as Obj } : { ok: false as const, message: 'a machine config is a JSON object' };
    } catch (e) {
      return { ok: false as const, message: (e as Error).message };
    }
  }, [text]);

  useEffect(() => {
    void api.machine.params().then(setParams, () => setParams([]));
    void api.machine.presets().then(setPresets, () => setPresets([]));
  }, []);

  // Validate what is typed, through the host (debounced).
  useEffect(() => {
    if (!parsed.ok) {
      const e = [{ path: '', message: text.trim() === '' ? 'the file is empty: start from a preset' : `invalid JSON: ${parsed.message}` }];
      setErrors(e);
      onValidity(path, e);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      api.machine.validate(parsed.obj).then((r) => {
        if (!live) return;
        setErrors(r.errors);
        onValidity(path, r.errors.length ? r.errors : undefined);
      }, () => {});
    }, 150);
    return () => { live = false; clearTimeout(t); };
  }, [parsed, path, onValidity, text]);
  useEffect(() => () => onValidity(path, undefined), [path, onValidity]);

  if (text.trim() === '') {
    return (
      <div className="placeholder empty-form" data-testid="machine-empty">
        <p>{path} is empty. Start from a preset:</p>
        <div className="row">
          {presets.map((p) => <button key={p.name} type="button" onClick={() => onEdit(JSON.stringify({ ...p.config, name: path.split('/').pop()!.replace(/\.json$/, '') }, null, 2) + '\n')}>{p.name}</button>)}
        </div>
      </div>
    );
  }
  if (!parsed.ok) return <div className="placeholder error-text">{path}: {parsed.message} — fix it in Source view.</div>;
  const cfg = parsed.obj;
  const write = (o: Obj) => onEdit(JSON.stringify(o, null, 2) + '\n');
  const set = (p: string, v: unknown) => write(setPath(cfg, p, v));
  const errorsAt = (p: string) => errors.filter((e) => e.path === p);
  const known = new Set(params.map((p) => p.path));
  const other = errors.filter((e) => !known.has(e.path) && !e.path.startsWith('distance'));
  const nodes = typeof cfg.nodes === 'number' && cfg.nodes >= 1 && cfg.nodes <= 32 ? Math.floor(cfg.nodes) : 1;
  const dist = Array.isArray(cfg.distance) ? (cfg.distance as unknown[][]) : undefined;
  const lat = (cfg.latency ?? {}) as Obj;
  const defaultMatrix = () => Array.from({ length: nodes }, (_, i) => Array.from({ length: nodes }, (_, j) => Number(i === j ? lat.localNs ?? 300 : lat.remoteNs ?? 900)));

  const field = (p: MachineParamInfo) => {
    const id = `mf-${p.path.replace(/\./g, '-')}`;
    const v = getPath(cfg, p.path);
    const errs = errorsAt(p.path);
    const label = p.path.includes('.') ? p.path.split('.').slice(-2).join(' ') : p.path;
    const common = {
      id,
      'aria-invalid': errs.length > 0,
      'aria-describedby': `${id}-help`,
      className: `text-input${errs.length ? ' invalid' : ''}`,
    };
    let input: React.ReactNode;
    if (p.type === 'enum') {
      input = (
        <select {...common} value={typeof v === 'string' ? v : ''} onChange={(e) => set(p.path, e.target.value || undefined)}>
          {v === undefined && <option value="">default ({String(p.default)})</option>}
          {(p.values ?? []).map((x) => <option key={String(x)} value={String(x)}>{String(x)}</option>)}
        </select>
      );
    } else if (p.type === 'string') {
      input = <input {...common} type="text" value={typeof v === 'string' ? v : ''} placeholder={p.default !== undefined ? String(p.default) : ''} onChange={(e) => set(p.path, e.target.value === '' ? undefined : e.target.value)} />;
    } else {
      input = (
        <input
          {...common}
          type="text"
          inputMode="decimal"
          value={v === undefined ? '' : String(v)}
          placeholder={p.default !== undefined ? String(p.default) : ''}
          onChange={(e) => {
            const s = e.target.value.trim();
            // Keep what was typed; a non-number stays a string so the validator names the problem.
            set(p.path, s === '' ? undefined : /^-?\d+(\.\d+)?(e\d+)?$/i.test(s) ? Number(s) : s);
          }}
        />
      );
    }
    return (
      <div className="field" key={p.path} data-field={p.path}>
        <label htmlFor={id}>{label}{p.unit ? <span className="unit"> [{p.unit}]</span> : null}</label>
        {input}
        <div id={`${id}-help`} className="field-help">
          {errs.length ? errs.map((e, i) => <span key={i} className="error-text" role="alert">{e.message}</span>) : <span className="muted">{p.description}{p.min !== undefined ? ` (${p.min}–${p.max})` : ''}</span>}
        </div>
      </div>
    );
  };

  return (
    <div className="form-view machine-form" data-testid="machine-form">
      <div className="toolbar-row">
        <label>
          Preset{' '}
          <select aria-label="Load a machine preset" value="" onChange={(e) => { const p = presets.find((x) => x.name === e.target.value); if (p) write(p.config); }}>
            <option value="">load a preset…</option>
            {presets.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
          </select>
        </label>
        <span className="spacer" />
        <span data-testid="machine-validity" className={errors.length ? 'error-text' : 'ok-text'}>
          {errors.length ? `${errors.length} problem${errors.length === 1 ? '' : 's'} — fix before saving` : '✓ valid machine'}
        </span>
      </div>
      <div className="form-columns">
        <div className="form-fields">
          {other.length > 0 && (
            <ul className="form-errors" role="alert">{other.map((e, i) => <li key={i} className="error-text">{e.path ? `${e.path}: ` : ''}{e.message}</li>)}</ul>
          )}
          {GROUPS.map((g) => (
            <fieldset key={g.title}>
              <legend>{g.title}</legend>
              <div className="field-grid">{params.filter((p) => p.type !== 'matrix' && g.match(p.path)).map(field)}</div>
              {g.title === 'Memory latency' && (
                <div className="distance">
                  <label className="check">
                    <input type="checkbox" checked={Boolean(dist)} onChange={(e) => set('distance', e.target.checked ? defaultMatrix() : undefined)} />
                    Distance matrix (ns, row = requesting node, column = home node) instead of local/remote
                  </label>
                  {dist && (
                    <table className="matrix">
                      <tbody>
                        {dist.map((row, i) => (
                          <tr key={i}>
                            <th>n{i}</th>
                            {(Array.isArray(row) ? row : []).map((x, j) => (
                              <td key={j}>
                                <input aria-label={`distance from node ${i} to node ${j}`} className={`text-input${errorsAt(`distance[${i}][${j}]`).length ? ' invalid' : ''}`} value={String(x)} onChange={(e) => {
                                  const m = dist.map((r) => (Array.isArray(r) ? r.slice() : []));
                                  const s = e.target.value.trim();
                                  m[i][j] = /^\d+(\.\d+)?$/.test(s) ? Number(s) : s;
                                  set('distance', m);
                                }} />
                              </td>
                            ))}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                  {errors.filter((e) => e.path.startsWith('distance')).map((e, i) => <p key={i} className="error-text" role="alert">{e.path}: {e.message}</p>)}
                </div>
              )}
            </fieldset>
          ))}
        </div>
        <div className="form-side">
          <TopologyDiagram config={cfg} params={params} errors={errors} />
        </div>
      </div>
    </div>
  );
}
