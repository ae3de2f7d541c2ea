/**
 * F5 / Run on a `.s` file: how to run it — on bare metal, as a user program on the guest OS
 * natively (N CPUs), under Disco (V VMs × vCPUs), or natively and under Disco at once followed by
 * the comparison. Each choice is one button (one action); Enter takes the highlighted one (the
 * last used for this program, else a guess from its text). The experiment it writes
 * (`experiments/<program>-<bare|native|disco>.json`) stays in the workspace to keep and edit.
 */
import { useEffect, useRef, useState } from 'react';
import { guessKind, initLine, runExperimentPath, vmMemoryMB, type RunKind, type RunOptions } from '../templates';
import { trapTab } from './Dialog';

/** What the dialog asks the app to do: one kind, or native + Disco and then compare. */
export type RunChoice = RunKind | 'compare';

interface Props {
  program: string;
  /** The program's text, to guess whether it is a guest program or a bare-metal one. */
  text: string;
  /** The host's experiment schema accepts `guest` (null while unknown). */
  guest: boolean | null;
  onRun(o: RunOptions, choice: RunChoice): void;
  onClose(): void;
}

const KEY = (p: string) => `disco-lab.run:${p}`;

interface Saved { choice: RunChoice; cpus: number; vms: number; vcpus: number; args: string }

function load(program: string, text: string): Saved {
  const d: Saved = { choice: guessKind(text), cpus: 1, vms: 2, vcpus: 1, args: '' };
  try {
    const s = JSON.parse(localStorage.getItem(KEY(program)) ?? 'null') as Partial<Saved> | null;
    return s ? { ...d, ...s } : d;
  } catch {
    return d;
  }
}

export function RunDialog({ program, text, guest, onRun, onClose }: Props) {
  const [s, setS] = useState<Saved>(() => load(program, text));
  const root = useRef<HTMLDivElement>(null);
  const set = (p: Partial<Saved>) => setS((x) => ({ ...x, ...p }));
  const num = (v: string, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.floor(Number(v) || lo)));
  const needsGuest = (c: RunChoice) => c !== 'bare';
  const usable = (c: RunChoice) => !needsGuest(c) || guest === true;
  const preferred = usable(s.choice) ? s.choice : 'bare';
  const opts: RunOptions = { kind: 'bare', program, cpus: s.cpus, vms: s.vms, vcpus: s.vcpus, args: s.args };
  const totalVcpus = s.vms * s.vcpus;
  const mem = vmMemoryMB(s.cpus, s.vms);

  useEffect(() => {
    root.current?.querySelector<HTMLButtonElement>('button.run-choice.primary')?.focus();
  }, []);
  const run = (c: RunChoice) => {
    if (!usable(c)) return;
    try { localStorage.setItem(KEY(program), JSON.stringify({ ...s, choice: c })); } catch { /* storage unavailable */ }
    onClose();
    onRun({ ...opts, kind: c === 'compare' ? 'guest-disco' : c }, c);
  };
  const choices: { c: RunChoice; label: string; detail: string }[] = [
    { c: 'guest-disco', label: `Under Disco: ${s.vms} VM${s.vms === 1 ? '' : 's'} × ${s.vcpus} vCPU${s.vcpus === 1 ? '' : 's'}`, detail: `guest OS in each VM (${mem} MiB), on ${s.cpus} CPU${s.cpus === 1 ? '' : 's'} · writes ${runExperimentPath({ kind: 'guest-disco', program })}` },
    { c: 'guest-native', label: `On the guest OS natively: ${s.cpus} CPU${s.cpus === 1 ? '' : 's'}`, detail: `the baseline · writes ${runExperimentPath({ kind: 'guest-native', program })}` },
    { c: 'compare', label: 'Natively and under Disco, then compare', detail: 'both runs at once; the comparison opens when they finish, the native run as baseline' },
    { c: 'bare', label: `Bare metal: ${s.cpus} CPU${s.cpus === 1 ? '' : 's'}`, detail: `no OS: every CPU starts at __start in kernel mode · writes ${runExperimentPath({ kind: 'bare', program })}` },
  ];
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div
        className="modal run-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="run-dialog-title"
        data-testid="run-dialog"
        ref={root}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          trapTab(e, root.current);
          if (e.key === 'Escape') { e.preventDefault(); onClose(); }
          if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) { e.preventDefault(); run(preferred); }
        }}
      >
        <h2 id="run-dialog-title">Run {program}</h2>
        <div className="run-fields">
          <label>CPUs<input className="text-input" type="number" min={1} max={8} value={s.cpus} aria-label="CPUs" onChange={(e) => set({ cpus: num(e.target.value, 1, 8) })} /></label>
          <label>VMs<input className="text-input" type="number" min={1} max={8} value={s.vms} aria-label="VMs" onChange={(e) => set({ vms: num(e.target.value, 1, 8) })} /></label>
          <label>vCPUs per VM<input className="text-input" type="number" min={1} max={8} value={s.vcpus} aria-label="vCPUs per VM" onChange={(e) => set({ vcpus: num(e.target.value, 1, 8) })} /></label>
          <label className="grow">Arguments<input className="text-input mono" value={s.args} aria-label="Arguments" placeholder="(none)" spellCheck={false} onChange={(e) => set({ args: e.target.value })} /></label>
        </div>
        <p className="muted small">Init command line: <code>{initLine({ program, args: s.args })}</code>{totalVcpus > s.cpus ? ` · ${totalVcpus} vCPUs time-share ${s.cpus} CPU${s.cpus === 1 ? '' : 's'}` : ''}</p>
        <div className="run-choices" role="group" aria-label="How to run">
          {choices.map(({ c, label, detail }) => (
            <button key={c} type="button" className={`run-choice${c === preferred ? ' primary' : ''}`} disabled={!usable(c)} onClick={() => run(c)} data-choice={c}>
              <b>{label}</b>
              <span className="small">{detail}</span>
            </button>
          ))}
        </div>
        {guest === false && (
          <p className="warn-text small" role="note">
            This Disco Lab cannot run workspace programs on the guest OS yet (its experiment schema has no <code>guest</code> field); bare metal works.
          </p>
        )}
        <p className="muted small">The experiment file stays in experiments/ — edit it to change the machine, limits or VMs. Enter runs the highlighted choice.</p>
        <div className="modal-buttons">
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </div>
    </div>
  );
}
