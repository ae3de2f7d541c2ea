/**
 * The experiment form for experiments/*.json: name, machine (preset or workspace file), mode
 * (native or Disco), what runs — programs on the bare machine, or (when the host's schema has
 * `guest`) workspace programs on the guest OS with an init command line — Disco VMs (vCPUs,
 * memory, kernel variant — `hal` is the HAL-patched kernel — copies) and monitor options, console
 * input (typed with escapes: `\n`), disk image, limits and seed. Field descriptions and choices
 * come from the experiment JSON Schema (`experiment.schema`), errors from the host's validator
 * (`experiment.validate`). Edits the tab's JSON text; saving is refused while the validator
 * reports errors. An empty file offers the templates. Run it with F5 or the Run panel.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ConfigError, FileNode, MachinePreset } from '../../../shared/api';
import { api } from '../api';
import { diskChoices, escapeInput, modeOf, nextProgram, programChoices, relFrom, unescapeInput } from '../forms/experiment-helpers';
import { experimentTemplate, programName, schemaHasGuest, VM_MEMORY_MB } from '../templates';

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
  const prog = /^(guest\.)?programs\[(\d+)\]$/.exec(p);
  if (prog) return `program ${Number(prog[2]) + 1}`;
  if (p.startsWith('vms[')) return p.split('.').pop()!;
  if (p === 'guest.init') return 'init command line';
  return p.replace('.', ' ');
}

interface Props {
  path: string;
  text: string;
  files: FileNode[];
  onEdit(text: string): void;
  onValidity(path: string, errors: ConfigError[] | undefined): void;
}

/** The final names of the VMs of `vms` (copies expanded: <name>0, <name>1, …) other than entry `skip`'s: a VM's possible file servers. */
function vmNames(vms: readonly Record<string, unknown>[], skip: number): string[] {
  return vms.flatMap((v, j) => {
    if (j === skip) return [];
    const name = typeof v.name === 'string' && v.name ? v.name : `vm${j}`, n = typeof v.copies === 'number' && v.copies > 1 ? v.copies : 1;
    return n > 1 ? Array.from({ length: n }, (_, k) => `${name}${k}`) : [name];
  });
}

export function ExperimentForm({ path, text, files, onEdit, onValidity }: Props) {
  const [schema, setSchema] = useState<Schema>();
  const [presets, setPresets] = useState<MachinePreset[]>([]);
  const [errors, setErrors] = useState<ConfigError[]>([]);
  const empty = text.trim() === '';
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
    if (!parsed.ok) { const e = [{ path: '', message: empty ? 'the file is empty: start from a template' : `invalid JSON: ${parsed.message}` }]; setErrors(e); onValidity(path, e); return; }
    let live = true;
    const t = setTimeout(() => api.experiment.validate(parsed.obj).then((r) => {
      if (!live) return;
      setErrors(r.errors);
      onValidity(path, r.errors.length ? r.errors : undefined);
    }, () => {}), 150);
    return () => { live = false; clearTimeout(t); };
  }, [parsed, path, onValidity, empty]);
  useEffect(() => () => onValidity(path, undefined), [path, onValidity]);

  const guestOk = schemaHasGuest(schema);
  const programFiles = programChoices(files, path);
  const stem = programName(path);
  if (empty) {
    const progs = files.filter((f) => /^programs\/[^/]+\.s$/.test(f.path)).map((f) => f.path).sort();
    const program = guestOk ? progs.find((p) => !/bare/.test(p)) : progs.find((p) => /bare/.test(p));
    return (
      <div className="placeholder empty-form" data-testid="experiment-empty">
        <p>{path} is empty. Start from a template (each is a valid experiment to edit):</p>
        <div className="row">
          <button type="button" className="primary" onClick={() => onEdit(experimentTemplate('native', stem, { guest: guestOk, program }))}>Native experiment</button>
          <button type="button" onClick={() => onEdit(experimentTemplate('disco', stem, { guest: guestOk, program }))}>Disco experiment</button>
        </div>
        <p className="muted small">Or write JSON in Source view (completion and checks from the experiment schema).</p>
      </div>
    );
  }
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
  const help = (p: string, extra?: string) => {
    used.add(p);
    const es = errs(p);
    return es.length ? es.map((x, i) => <span key={i} className="error-text" role="alert">{x.message}</span>) : <span className="muted">{extra ?? schemaAt(schema, p)?.description ?? ''}</span>;
  };
  const numOrText = (s: string) => (s.trim() === '' ? undefined : /^-?\d+(\.\d+)?(e\d+)?$/i.test(s.trim()) ? Number(s.trim()) : s);
  const input = (p: string, value: unknown, onChange: (v: unknown) => void, opts: { numeric?: boolean; placeholder?: string; list?: string; help?: string; mono?: boolean } = {}) => {
    const id = `ef-${p.replace(/[^\w]/g, '-')}`;
    return (
      <div className="field" data-field={p} key={p}>
        <label htmlFor={id}>{labelOf(p)}</label>
        <input id={id} className={`text-input${opts.mono ? ' mono' : ''}${errs(p).length ? ' invalid' : ''}`} aria-invalid={errs(p).length > 0} list={opts.list} placeholder={opts.placeholder}
          value={value === undefined ? '' : String(value)} onChange={(ev) => onChange(opts.numeric ? numOrText(ev.target.value) : ev.target.value === '' ? undefined : ev.target.value)} />
        <div className="field-help">{help(p, opts.help)}</div>
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

  const mode = modeOf(e);
  const hasGuest = e.guest !== undefined;
  const guest = (e.guest ?? {}) as Obj;
  const machineFiles = files.filter((f) => /^machines\/[^/]+\.json$/.test(f.path)).map((f) => relFrom(path, f.path));
  const programs = Array.isArray(e.programs) ? (e.programs as unknown[]) : [];
  const guestPrograms = Array.isArray(guest.programs) ? (guest.programs as unknown[]) : [];
  const vms = Array.isArray(e.vms) ? (e.vms as Obj[]) : [];
  const setVm = (i: number, k: string, v: unknown) => set('vms', vms.map((vm, j) => { if (j !== i) return vm; const n = { ...vm }; if (v === undefined) delete n[k]; else n[k] = v; return n; }));
  const monitor = (e.monitor ?? {}) as Obj;
  const denali = (e.denali ?? {}) as Obj;
  const denaliVms = Array.isArray(denali.vms) ? (denali.vms as Obj[]) : [];
  const setDenali = (k: string, v: unknown) => { const d = { ...denali }; if (v === undefined) delete d[k]; else d[k] = v; set('denali', d); };
  const setDenaliIn = (part: 'load' | 'options', k: string, v: unknown) => { const o = { ...((denali[part] ?? {}) as Obj) }; if (v === undefined) delete o[k]; else o[k] = v; setDenali(part, Object.keys(o).length ? o : undefined); };
  const setGroup = (i: number, k: string, v: unknown) => setDenali('vms', denaliVms.map((g, j) => { if (j !== i) return g; const n = { ...g }; if (v === undefined) delete n[k]; else n[k] = v; return n; }));
  const limits = (e.limits ?? {}) as Obj;
  const setGuest = (k: string, v: unknown) => { const g = { ...guest }; if (v === undefined) delete g[k]; else g[k] = v; set('guest', g); };
  // a new VM boots the guest OS built at run time from its variant (the experiment's `guest`)
  const defaultVm = (): Obj => ({ name: 'vm', vcpus: 1, memoryMB: VM_MEMORY_MB, variant: 'ksseg' });
  const other = () => errors.filter((x) => !used.has(x.path));
  const runsOn = hasGuest ? 'guest' : 'bare';

  const pathList = (p: 'programs' | 'guest.programs', list: unknown[], setList: (l: unknown[]) => void) => (
    <>
      {list.map((item, i) => {
        const v = typeof item === 'string' ? item : (item as Obj).path;
        return (
          <div className="row-fields" key={i}>
            {input(`${p}[${i}]`, v, (nv) => setList(list.map((q, j) => (j === i ? (typeof q === 'string' ? nv ?? '' : { ...(q as Obj), path: nv }) : q))), { list: 'ef-program-files', mono: true })}
            <button type="button" className="icon-button" aria-label={`Remove program ${i + 1}`} onClick={() => setList(list.filter((_, j) => j !== i))}>✕</button>
          </div>
        );
      })}
      <button type="button" onClick={() => setList([...list, nextProgram(programFiles, list)])}>Add program</button>
    </>
  );

  const body = (
    <div className="form-fields">
      <fieldset>
        <legend>Experiment</legend>
        <div className="field-grid">
          {input('name', e.name, (v) => set('name', v))}
          {input('description', e.description, (v) => set('description', v))}
          {select('machine', typeof e.machine === 'string' ? e.machine : '', [...presets.map((p) => p.name), ...machineFiles], (v) => set('machine', v), typeof e.machine === 'object' ? '(inline machine in Source view)' : 'choose…')}
        </div>
        <div className={`mode-switch${errs('mode').length ? ' invalid' : ''}`} role="radiogroup" aria-label="Mode" data-field="mode">
          {(['native', 'disco', 'denali'] as const).map((m) => (
            <label key={m} className="check">
              <input type="radio" name={`${path}-mode`} checked={mode === m} onChange={() => {
                const o: Obj = { ...e, mode: m };
                // Each mode has its own fields: programs (native) or VMs + monitor (Disco); `guest` serves both;
                // Denali has only its own `denali` (VM groups, load, options).
                if (m !== 'disco') delete o.load;   // the clients are on Disco's virtual network (Denali's are denali.load)
                if (m === 'denali') {
                  for (const k of ['vms', 'monitor', 'guest', 'programs', 'disk']) delete o[k];
                  if (o.denali === undefined) o.denali = { vms: [{ name: 'web', count: 100 }], load: { clientsPerVm: 1, requestsPerClient: 10 } };
                } else if (m === 'disco') {
                  delete o.denali;
                  if (!Array.isArray(o.vms)) { o.vms = [defaultVm()]; if (o.guest === undefined) o.guest = {}; }
                  delete o.programs;
                } else {
                  delete o.denali;
                  delete o.vms; delete o.monitor;
                  if (!hasGuest && (!Array.isArray(o.programs) || !o.programs.length)) o.programs = [nextProgram(programFiles, [])];
                }
                write(o);
              }} />
              {m === 'native' ? 'Native (no monitor)' : m === 'disco' ? 'Disco (virtual machines under the monitor)' : 'Denali (many small paravirtual VMs)'}
            </label>
          ))}
          {mode === undefined && help('mode', 'Choose a mode.')}
        </div>
        {guestOk && mode !== 'denali' && (
          <div className="mode-switch" role="radiogroup" aria-label="What runs">
            <label className="check">
              <input type="radio" name={`${path}-runs-on`} checked={runsOn === 'guest'} onChange={() => {
                const o: Obj = { ...e, guest: { programs: programs.length ? programs.map((p) => (typeof p === 'string' ? p : (p as Obj).path)) : [nextProgram(programFiles, [])], init: '' } };
                delete o.programs;
                const g = o.guest as Obj;
                g.init = programName(String((g.programs as string[])[0] ?? 'program'));
                if (Array.isArray(o.vms)) o.vms = (o.vms as Obj[]).map(({ kernel: _k, ...vm }) => vm);
                write(o);
              }} />
              Workspace programs on the guest OS
            </label>
            <label className="check">
              <input type="radio" name={`${path}-runs-on`} checked={runsOn === 'bare'} disabled={mode === 'disco' && !hasGuest} onChange={() => {
                const o: Obj = { ...e };
                delete o.guest;
                if (mode === 'native') o.programs = guestPrograms.length ? guestPrograms : [nextProgram(programFiles, [])];
                write(o);
              }} />
              Programs on the bare machine{mode === 'disco' ? ' (Disco: VM kernels)' : ''}
            </label>
          </div>
        )}
      </fieldset>

      {hasGuest && (
        <fieldset>
          <legend>Guest programs</legend>
          <p className="muted small">Assembled at run time and put on the guest OS's disk; their names on the guest are the file names without <code>.s</code>.</p>
          {pathList('guest.programs', guestPrograms, (l) => setGuest('programs', l))}
          <div className="field-grid">
            {input('guest.init', guest.init, (v) => setGuest('init', v ?? ''), { mono: true, help: `The command line the guest OS runs at boot, e.g. "${programName(String(guestPrograms[0] ?? 'prog'))} 3".` })}
          </div>
        </fieldset>
      )}

      {mode === 'native' && !hasGuest && (
        <fieldset>
          <legend>Programs</legend>
          {pathList('programs', programs, (l) => set('programs', l))}
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
                  {input(`vms[${i}].kernel`, vm.kernel, (v) => setVm(i, 'kernel', v), { list: 'ef-program-files', placeholder: hasGuest ? 'built from the variant' : undefined })}
                  {select(`vms[${i}].variant`, vm.variant, schemaAt(schema, `vms[${i}].variant`)?.enum ?? ['kseg0', 'ksseg', 'hal'], (v) => {
                    // The HAL patch is a kernel build: picking the variant picks its kernel when it is the shipped one.
                    const k = typeof vm.kernel === 'string' && /kernel-(kseg0|ksseg|hal)\.elf$/.test(vm.kernel) && v ? vm.kernel.replace(/kernel-(kseg0|ksseg|hal)\.elf$/, `kernel-${v}.elf`) : vm.kernel;
                    set('vms', vms.map((x, j) => (j === i ? { ...x, variant: v, kernel: k } : x)));
                  }, '—')}
                  {input(`vms[${i}].copies`, vm.copies, (v) => setVm(i, 'copies', v), { numeric: true, placeholder: '1' })}
                  {hasGuest && select(`vms[${i}].fileServer`, vm.fileServer, vmNames(vms, i), (v) => setVm(i, 'fileServer', v), 'its own disk')}
                </div>
                <button type="button" onClick={() => set('vms', vms.filter((_, j) => j !== i))} disabled={vms.length < 2}>Remove VM</button>
              </div>
            ))}
            <button type="button" onClick={() => set('vms', [...vms, { ...(vms[vms.length - 1] ?? defaultVm()), name: `vm${vms.length}` }])}>Add VM</button>
          </fieldset>
          <fieldset>
            <legend>Monitor</legend>
            <div className="field-grid">
              {/* one field per scalar monitor option of the published schema (src/core/disco/options.ts) */}
              {Object.entries(schemaAt(schema, 'monitor')?.properties ?? {}).filter(([, s]) => s.type === 'integer' || s.type === 'number').map(([k, s]) =>
                input(`monitor.${k}`, monitor[k], (v) => setIn('monitor', k, v), { numeric: true, placeholder: s.default === undefined ? undefined : String(s.default) }))}
            </div>
            <p className="muted small">HAL patch: choose the <b>hal</b> kernel variant for a VM. Cost-model overrides (<code>monitor.costs</code>) are edited in Source view.</p>
          </fieldset>
          <fieldset data-field="load">
            <legend>Clients on the virtual network</legend>
            <label className="check">
              <input type="checkbox" checked={e.load !== undefined} onChange={(ev) => {
                const o: Obj = { ...e };
                if (ev.target.checked) {
                  o.load = { clientsPerVm: 4, requestsPerClient: 25, thinkTimeUs: 1000 };
                  if (hasGuest && !guest.init) o.guest = { ...guest, init: 'httpd' };
                } else delete o.load;
                write(o);
              }} />
              Serve the load generator's clients (the same clients as a Denali run's; each VM's guest answers them, e.g. the guest OS's httpd program)
            </label>
            {e.load !== undefined && (
              <div className="field-grid">
                {/* one field per scalar load parameter of the published schema (src/core/load/spec.ts) */}
                {Object.entries(schemaAt(schema, 'load')?.properties ?? {}).filter(([, sc]) => sc.type === 'integer' || sc.type === 'number').map(([k, sc]) =>
                  input(`load.${k}`, ((e.load ?? {}) as Obj)[k], (v) => setIn('load', k, v), { numeric: true, placeholder: sc.default === undefined ? undefined : String(sc.default) }))}
              </div>
            )}
            <p className="muted small">The run ends when every client is done; the request mix (<code>load.mix</code>) is edited in Source view (docs/disco.md "Serving clients").</p>
          </fieldset>
        </>
      )}

      {mode === 'denali' && (
        <>
          <fieldset>
            <legend>Denali VMs</legend>
            {denaliVms.map((g, i) => (
              <div className="vm-card" key={i} data-testid="denali-group">
                <div className="field-grid">
                  {input(`denali.vms[${i}].name`, g.name, (v) => setGroup(i, 'name', v))}
                  {input(`denali.vms[${i}].count`, g.count, (v) => setGroup(i, 'count', v), { numeric: true, placeholder: '1' })}
                  {input(`denali.vms[${i}].memoryKB`, g.memoryKB, (v) => setGroup(i, 'memoryKB', v), { numeric: true, placeholder: String(schemaAt(schema, `denali.vms[${i}].memoryKB`)?.default ?? '') })}
                  {input(`denali.vms[${i}].program`, g.program, (v) => setGroup(i, 'program', v), { list: 'ef-program-files', placeholder: 'the built-in Ilwaco web server' })}
                </div>
                <button type="button" onClick={() => setDenali('vms', denaliVms.filter((_, j) => j !== i))} disabled={denaliVms.length < 2}>Remove group</button>
              </div>
            ))}
            <button type="button" onClick={() => setDenali('vms', [...denaliVms, { name: `group${denaliVms.length}`, count: 1 }])}>Add group</button>
          </fieldset>
          <fieldset>
            <legend>Load and isolation kernel</legend>
            <div className="field-grid">
              {/* one field per scalar load parameter and kernel option of the published schema (src/core/denali) */}
              {(['load', 'options'] as const).flatMap((part) => Object.entries(schemaAt(schema, `denali.${part}`)?.properties ?? {}).filter(([, sc]) => sc.type === 'integer' || sc.type === 'number').map(([k, sc]) =>
                input(`denali.${part}.${k}`, ((denali[part] ?? {}) as Obj)[k], (v) => setDenaliIn(part, k, v), { numeric: true, placeholder: sc.default === undefined ? undefined : String(sc.default) })))}
            </div>
            <p className="muted small">The request mix (<code>denali.load.mix</code>) and cost overrides are edited in Source view; docs/denali.md explains every field.</p>
          </fieldset>
        </>
      )}

      <fieldset>
        <legend>Inputs and limits</legend>
        <div className="field-grid">
          {input('console.input', typeof (e.console as Obj | undefined)?.input === 'string' ? escapeInput((e.console as Obj).input as string) : undefined, (v) => setIn('console', 'input', v === undefined ? undefined : unescapeInput(String(v))), { mono: true, help: 'Bytes queued on the console at reset; type \\n for a newline, \\t a tab, \\\\ a backslash.' })}
          {input('disk.image', (e.disk as Obj | undefined)?.image, (v) => setIn('disk', 'image', v), { list: 'ef-disk-files' })}
          {input('limits.maxCycles', limits.maxCycles, (v) => setIn('limits', 'maxCycles', v), { numeric: true })}
          {input('limits.maxInstructions', limits.maxInstructions, (v) => setIn('limits', 'maxInstructions', v), { numeric: true })}
          {input('seed', e.seed, (v) => set('seed', v), { numeric: true })}
        </div>
      </fieldset>
      <datalist id="ef-program-files">{programFiles.map((f) => <option key={f} value={f} />)}</datalist>
      <datalist id="ef-disk-files">{diskChoices(files, path).map((f) => <option key={f} value={f} />)}</datalist>
    </div>
  );
  const rest = other();
  return (
    <div className="form-view experiment-form" data-testid="experiment-form">
      <div className="toolbar-row">
        <span className="muted small">Run it with F5 or the Run panel on the right (Ctrl+Alt+3).</span>
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
