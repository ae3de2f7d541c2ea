/**
 * Breakpoints: the list with hit counts, and a one-line form to add one — a source line
 * (`programs/x.s:17`), an address (`0x400010`), an exception cause (ExcCode name or number) or a
 * monitor event (the next forwarded TLB miss of a VM, the next page migration, any monitor cause).
 */
import { useState } from 'react';
import type { BreakpointInfo, BreakpointSpec } from '../../../../shared/debug/types';
import { hex8, parseNumber, shortFile } from './format';

type Kind = 'line' | 'address' | 'exception' | 'monitor';
const EXC = ['Int', 'Mod', 'TLBL', 'TLBS', 'AdEL', 'AdES', 'IBE', 'DBE', 'Sys', 'Bp', 'RI', 'CpU', 'Ov', 'Tr'];
const EVENTS: { event: string; label: string }[] = [
  { event: 'tlb.forward', label: 'next forwarded TLB miss' },
  { event: 'tlb.l2hit', label: 'next miss served from the L2 TLB' },
  { event: 'emulate.tlbwr', label: 'next emulated tlbwr' },
  { event: 'migration', label: 'next page migration' },
  { event: 'replication', label: 'next page replication' },
];
const PLACEHOLDER: Record<Kind, string> = { line: 'programs/tlbwalk.s:17', address: '0x00400010', exception: 'TLBL or 2', monitor: 'tlb.forward' };

/** The spec for the form's text, or an error message. */
export function specOf(kind: Kind, text: string, vm: number | null): BreakpointSpec | string {
  const t = text.trim();
  if (kind === 'line') {
    const m = /^(.+):(\d+)$/.exec(t);
    return m ? { kind: 'line', file: m[1], line: Number(m[2]) } : 'a line breakpoint is file:line';
  }
  if (kind === 'address') { const a = parseNumber(t); return a === undefined ? 'an address is 0x… or decimal' : { kind: 'address', addr: a }; }
  if (kind === 'exception') {
    const i = EXC.findIndex((n) => n.toLowerCase() === t.toLowerCase());
    const code = i >= 0 ? i : parseNumber(t);
    return code === undefined || code > 31 ? 'an exception is a cause name (TLBL, Sys, …) or code 0..31' : { kind: 'exception', code };
  }
  return /^[\w.]+$/.test(t) ? { kind: 'monitor', event: t, ...(vm !== null && { vm }) } : 'a monitor event is a cause name (tlb.forward, migration, …)';
}

function label(b: BreakpointInfo): string {
  const s = b.spec;
  switch (s.kind) {
    case 'line': return `${shortFile(s.file)}:${b.line ?? s.line}${b.addr !== undefined ? ` (${hex8(b.addr)})` : ''}`;
    case 'address': return hex8(s.addr);
    case 'exception': return `exception ${EXC[s.code] ?? s.code}`;
    case 'monitor': return `monitor: ${EVENTS.find((e) => e.event === s.event)?.label ?? s.event}${s.vm !== undefined ? ` of vm${s.vm}` : ''}`;
    case 'watch': return `watch ${s.space} ${hex8(s.addr)} (${s.length} bytes)`;
  }
}

interface Props {
  list: BreakpointInfo[];
  files: string[];
  disco: boolean;
  vms: { id: number; name: string }[];
  onAdd(spec: BreakpointSpec): void;
  onRemove(id: number): void;
}

export function BreakpointsPane({ list, files, disco, vms, onAdd, onRemove }: Props) {
  const [kind, setKind] = useState<Kind>('line');
  const [text, setText] = useState('');
  const [vm, setVm] = useState<number | null>(vms.length ? vms[0].id : null);
  const [error, setError] = useState<string>();
  const add = () => {
    const s = specOf(kind, text, kind === 'monitor' ? vm : null);
    if (typeof s === 'string') return setError(s);
    setError(undefined);
    onAdd(s);
    setText('');
  };
  return (
    <section className="debug-pane" aria-label="Breakpoints">
      <h3>Breakpoints</h3>
      <form className="row" onSubmit={(e) => { e.preventDefault(); add(); }}>
        <select value={kind} onChange={(e) => { setKind(e.target.value as Kind); setText(''); }} aria-label="Breakpoint kind">
          <option value="line">line</option>
          <option value="address">address</option>
          <option value="exception">exception</option>
          {disco && <option value="monitor">monitor event</option>}
        </select>
        {kind === 'monitor' ? (
          <>
            <select value={text} onChange={(e) => setText(e.target.value)} aria-label="Monitor event">
              <option value="">choose…</option>
              {EVENTS.map((e) => <option key={e.event} value={e.event}>{e.label}</option>)}
            </select>
            <select value={vm ?? ''} onChange={(e) => setVm(e.target.value === '' ? null : Number(e.target.value))} aria-label="Of VM">
              <option value="">any VM</option>
              {vms.map((v) => <option key={v.id} value={v.id}>{v.name}</option>)}
            </select>
          </>
        ) : (
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder={PLACEHOLDER[kind]} aria-label="New breakpoint" list={kind === 'line' ? 'debug-files' : undefined} />
        )}
        <button type="submit" aria-label="Add breakpoint">Add</button>
        <datalist id="debug-files">{files.map((f) => <option key={f} value={`${shortFile(f)}:`} />)}</datalist>
      </form>
      {error && <p className="error-text small" role="alert">{error}</p>}
      <ul className="debug-bps" data-testid="debug-breakpoints">
        {list.map((b) => (
          <li key={b.id}>
            <span className="mono">{label(b)}</span> <span className="muted small">{b.hits} hit{b.hits === 1 ? '' : 's'}</span>{' '}
            <button type="button" className="link-button" onClick={() => onRemove(b.id)} aria-label={`Remove breakpoint ${b.id}`}>remove</button>
          </li>
        ))}
        {list.length === 0 && <li className="muted small">none — add one above (a line: file:line)</li>}
      </ul>
    </section>
  );
}
