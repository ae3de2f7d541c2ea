/**
 * The experiment form for experiments/*.json: name, machine (preset or workspace file), mode
 * (native or Disco), native programs, Disco VMs (vCPUs, memory, kernel and its variant — `hal`
 * is the HAL-patched kernel — copies) and monitor options (L2 TLB size, time slice), limits and
 * seed. Field descriptions and choices come from the experiment JSON Schema (`experiment.schema`),
 * errors from the host's validator (`experiment.validate`). Edits the tab's JSON text; saving is
 * refused while the validator reports errors. Run it from the Run panel on the right.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ConfigError, FileNode, MachinePreset } from '../../../shared/api';
import { api } from '../api';

type Obj = Record<string, unknown>;
type Schema = { properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; description?: string; anyOf?: Schema[]; type?: string | string[]; default?: unknown };

/** Schema node for a path like `vms[0].variant` or `monitor.l2tlbEntries`. */
function schemaAt(root: Schema | undefined, path: string): Schema | undefined {
  let s = root;
  for (const part of path.replace(/\[\d+\]/g, '.[]').split('.').filter(Boolean)) {
    if (!s) return undefined;
    s = part === '[]' ? s.items ?? s.anyOf?.find((x) => x.properties) : s.properties?.[part];
  }
  return s;
}

/** `console.input` → "console input", `vms[0].vcpus` → "vcpus", `programs[1]` → "program 2". */
function labelOf(p: string): string {
  const prog = /^programs\[(\d+)\]$/.exec(p);
  if (prog) return `program ${Number(prog[1]) + 1}`;
  if (p.startsWith('vms[')) return p.split('.').pop()!;
  return p.replace('.', ' ');
}

function relFrom(expPath: string, target: string): string {
  const up = expPath.split('/').length - 1;
  return '../'.repeat(up) + target;
}

interface Props {
  path: string;
  text: string;
  files: FileNode[];
  onEdit(text: string): void;
  onValidity(path: string, errors: ConfigError[] | undefined): void;
}

export function ExperimentForm({ path, text, files, onEdit, onValidity }: Props) {
  const [schema, setSchema] = useState<Schema>();
  const [presets, setPresets] = useState<MachinePreset[]>([]);
  const [errors, setErrors] = useState<ConfigError[]>([]);
  const parsed = useMemo(() => {
    try {
      const v: unknown = JSON.parse(text);
      return v && typeof v === 'object' && !Array.isArray(v) ? { ok: true as const, obj: v as Obj } : { ok: false as const, message: 'an experiment is a JSON object' };
    } catch (e) {
      return { ok: false as const, message: (e as Error).message };
    }
  }, [text]);
  useEffect(() => {
    void api.experiment.schema().then((s) => setSchema(s as Schema), () => {});
    void api.machine.presets().then(setPresets, () => {});
  }, []);
  useEffect(() => {
    if (!parsed.ok) { const e = [{ path: '', message: `invalid JSON: ${parsed.message}` }]; setErrors(e); onValidity(path, e); return; }
    let live = true;
    const t = setTimeout(() => api.experiment.validate(parsed.obj).then((r) => {
      if (!live) return;
      setErrors(r.errors);
      onValidity(path, r.errors.length ? r.errors : undefined);
    }, () => {}), 150);
    return () => { live = false; clearTimeout(t); };
  }, [parsed, path, onValidity]);
  useEffect(() => () => onValidity(path, undefined), [path, onValidity]);

  if (!parsed.ok) return <div className="placeholder error-text">{path}: {parsed.message} — fix it in Source view.</div>;
  const e = parsed.obj;
  const write = (o: Obj) => onEdit(JSON.stringify(o, null, 2) + '\n');
  const set = (k: string, v: unknown) => { const o = { ...e }; if (v === undefined) delete o[k]; else o[k] = v; write(o); };
  const setIn = (k: string, sub: string, v: unknown) => {
    const inner = { ...((e[k] as Obj | undefined) ?? {}) };
    if (v === undefined) delete inner[sub]; else inner[sub] = v;
    set(k, Object.keys(inner).length ? inner : undefined);
  };
  const errs = (p: string) => errors.filter((x) => x.path === p);
  const used = new Set<string>();
  const help = (p: string) => {
    used.add(p);
    const es = errs(p);
    return es.length ? es.map((x, i) => <span key={i} className="error-text" role="alert">{x.message}</span>) : <span className="muted">{schemaAt(schema, p)?.description ?? ''}</span>;
  };
  const numOrText = (s: string) => (s.trim() === '' ? undefined : /^-?\d+(\.\d+)?(e\d+)?$/i.test(s.trim()) ? Number(s.trim()) : s);
  const input = (p: string, value: unknown, onChange: (v: unknown) => void, opts: { numeric?: boolean; placeholder?: string; list?: string } = {}) => {
    const id = `ef-${p.replace(/[^\w]/g, '-')}`;
    return (
      <div className="field" data-field={p} key={p}>
        <label htmlFor={id}>{labelOf(p)}</label>
        <input id={id} className={`text-input${errs(p).length ? ' invalid' : ''}`} aria-invalid={errs(p).length > 0} list={opts.list} placeholder={opts.placeholder}
          value={value === undefined ? '' : String(value)} onChange={(ev) => onChange(opts.numeric ? numOrText(ev.target.value) : ev.target.value === '' ? undefined : ev.target.value)} />
        <div className="field-help">{help(p)}</div>
      </div>
    );
  };
  const select = (p: string, value: unknown, options: unknown[], onChange: (v: string | undefined) => void, blank?: string) => {
    const id = `ef-${p.replace(/[^\w]/g, '-')}`;
    return (
      <div className="field" data-field={p} key={p}>
        <label htmlFor={id}>{labelOf(p)}</label>
        <select id={id} className={`text-input${errs(p).length ? ' invalid' : ''}`} value={value === undefined ? '' : String(value)} onChange={(ev) => onChange(ev.target.value || undefined)}>
          {blank !== undefined && <option value="">{blank}</option>}
          {options.map((o) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}
        </select>
        <div className="field-help">{help(p)}</div>
      </div>
    );
  };

  const mode = e.mode === 'disco' ? 'disco' : 'native';
  const programFiles = files.filter((f) => /\.(s|S|elf)$/.test(f.name) || /^guest\//.test(f.path)).map((f) => relFrom(path, f.path));
  const machineFiles = files.filter((f) => /^machines\/[^/]+\.json$/.test(f.path)).map((f) => relFrom(path, f.path));
  const programs = Array.isArray(e.programs) ? (e.programs as unknown[]) : [];
  const vms = Array.isArray(e.vms) ? (e.vms as Obj[]) : [];
  const setVm = (i: number, k: string, v: unknown) => set('vms', vms.map((vm, j) => { if (j !== i) return vm; const n = { ...vm }; if (v === undefined) delete n[k]; else n[k] = v; return n; }));
  const monitor = (e.monitor ?? {}) as Obj;
  const limits = (e.limits ?? {}) as Obj;
  const other = () => errors.filter((x) => !used.has(x.path));

  const body = (
    <div className="form-fields">
      <fieldset>
        <legend>Experiment</legend>
        <div className="field-grid">
          {input('name', e.name, (v) => set('name', v))}
          {input('description', e.description, (v) => set('description', v))}
          {select('machine', typeof e.machine === 'string' ? e.machine : '', [...presets.map((p) => p.name), ...machineFiles], (v) => set('machine', v), typeof e.machine === 'object' ? '(inline machine in Source view)' : 'choose…')}
        </div>
        <div className="mode-switch" role="radiogroup" aria-label="Mode">
          {(['native', 'disco'] as const).map((m) => (
            <label key={m} className="check">
              <input type="radio" name={`${path}-mode`} checked={mode === m} onChange={() => {
                const o: Obj = { ...e, mode: m };
                // Each mode has its own fields: programs (native) or VMs + monitor (Disco).
                if (m === 'disco') {
                  // a new VM boots the guest OS built at run time (the experiment's `guest`)
                  if (!Array.isArray(o.vms)) { o.vms = [{ name: 'vm', vcpus: 1, memoryMB: 32, variant: 'ksseg' }]; if (o.guest === undefined) o.guest = {}; }
                  delete o.programs;
                } else {
                  delete o.vms; delete o.monitor;
                  if (o.guest === undefined && (!Array.isArray(o.programs) || !o.programs.length)) o.programs = programFiles.slice(0, 1);
                }
                write(o);
              }} />
              {m === 'native' ? 'Native (no monitor)' : 'Disco (virtual machines under the monitor)'}
            </label>
          ))}
        </div>
      </fieldset>

      {mode === 'native' && (
        <fieldset>
          <legend>Programs</legend>
          {programs.map((p, i) => {
            const v = typeof p === 'string' ? p : (p as Obj).path;
            return (
              <div className="row-fields" key={i}>
                {input(`programs[${i}]`, v, (nv) => set('programs', programs.map((q, j) => (j === i ? (typeof q === 'string' ? nv ?? '' : { ...(q as Obj), path: nv }) : q))), { list: 'ef-program-files' })}
                <button type="button" className="icon-button" aria-label={`Remove program ${i + 1}`} onClick={() => set('programs', programs.filter((_, j) => j !== i))}>✕</button>
              </div>
            );
          })}
          <button type="button" onClick={() => set('programs', [...programs, programFiles[0] ?? '../programs/hello.s'])}>Add program</button>
        </fieldset>
      )}

      {mode === 'disco' && (
        <>
          <fieldset>
            <legend>Virtual machines</legend>
            {vms.map((vm, i) => (
              <div className="vm-card" key={i} data-testid="vm-card">
                <div className="field-grid">
                  {input(`vms[${i}].name`, vm.name, (v) => setVm(i, 'name', v))}
                  {input(`vms[${i}].vcpus`, vm.vcpus, (v) => setVm(i, 'vcpus', v), { numeric: true, placeholder: '1' })}
                  {input(`vms[${i}].memoryMB`, vm.memoryMB, (v) => setVm(i, 'memoryMB', v), { numeric: true })}
                  {input(`vms[${i}].kernel`, vm.kernel, (v) => setVm(i, 'kernel', v), { list: 'ef-program-files' })}
                  {select(`vms[${i}].variant`, vm.variant, schemaAt(schema, `vms[${i}].variant`)?.enum ?? ['kseg0', 'ksseg', 'hal'], (v) => {
                    // The HAL patch is a kernel build: picking the variant picks its kernel when it is the shipped one.
                    const k = typeof vm.kernel === 'string' && /kernel-(kseg0|ksseg|hal)\.elf$/.test(vm.kernel) && v ? vm.kernel.replace(/kernel-(kseg0|ksseg|hal)\.elf$/, `kernel-${v}.elf`) : vm.kernel;
                    set('vms', vms.map((x, j) => (j === i ? { ...x, variant: v, kernel: k } : x)));
                  }, '—')}
                  {input(`vms[${i}].copies`, vm.copies, (v) => setVm(i, 'copies', v), { numeric: true, placeholder: '1' })}
                </div>
                <button type="button" onClick={() => set('vms', vms.filter((_, j) => j !== i))} disabled={vms.length < 2}>Remove VM</button>
              </div>
            ))}
            <button type="button" onClick={() => set('vms', [...vms, { ...(vms[vms.length - 1] ?? { vcpus: 1, memoryMB: 32, variant: 'ksseg' }), name: `vm${vms.length}` }])}>Add VM</button>
          </fieldset>
          <fieldset>
            <legend>Monitor</legend>
            <div className="field-grid">
              {/* one field per scalar monitor option of the published schema (src/core/disco/options.ts) */}
              {Object.entries(schemaAt(schema, 'monitor')?.properties ?? {}).filter(([, s]) => s.type === 'integer' || s.type === 'number').map(([k, s]) =>
                input(`monitor.${k}`, monitor[k], (v) => setIn('monitor', k, v), { numeric: true, placeholder: s.default === undefined ? undefined : String(s.default) }))}
            </div>
            <p className="muted small">HAL patch: choose the <b>hal</b> kernel variant for a VM. NUMA and I/O options will appear here as the monitor gains them.</p>
          </fieldset>
        </>
      )}

      <fieldset>
        <legend>Inputs and limits</legend>
        <div className="field-grid">
          {input('console.input', (e.console as Obj | undefined)?.input, (v) => setIn('console', 'input', v))}
          {input('disk.image', (e.disk as Obj | undefined)?.image, (v) => setIn('disk', 'image', v), { list: 'ef-program-files' })}
          {input('limits.maxCycles', limits.maxCycles, (v) => setIn('limits', 'maxCycles', v), { numeric: true })}
          {input('limits.maxInstructions', limits.maxInstructions, (v) => setIn('limits', 'maxInstructions', v), { numeric: true })}
          {input('seed', e.seed, (v) => set('seed', v), { numeric: true })}
        </div>
      </fieldset>
      <datalist id="ef-program-files">{programFiles.map((f) => <option key={f} value={f} />)}</datalist>
    </div>
  );
  const rest = other();
  return (
    <div className="form-view experiment-form" data-testid="experiment-form">
      <div className="toolbar-row">
        <span className="muted small">Run it with the Run panel on the right (Ctrl+Alt+3).</span>
        <span className="spacer" />
        <span data-testid="experiment-validity" className={errors.length ? 'error-text' : 'ok-text'}>
          {errors.length ? `${errors.length} problem${errors.length === 1 ? '' : 's'} — fix before saving` : '✓ valid experiment'}
        </span>
      </div>
      {rest.length > 0 && <ul className="form-errors" role="alert">{rest.map((x, i) => <li key={i} className="error-text">{x.path ? `${x.path}: ` : ''}{x.message}</li>)}</ul>}
      {body}
    </div>
  );
}
