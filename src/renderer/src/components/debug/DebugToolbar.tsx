/**
 * The Debug view's toolbar: continue (F5), pause (F6), step (F11), next (F10), step out
 * (Shift+F11), reverse continue (back to the previous breakpoint stop), step back / forward by N
 * instructions, go to a cycle; the thread picker.
 */
import { useState } from 'react';
import type { ThreadInfo, ThreadRef } from '../../../../shared/debug/types';
import { parseNumber, threadKey, parseThreadKey } from './format';

export type DebugAction = 'continue' | 'pause' | 'step' | 'next' | 'stepOut';

interface Props {
  running: boolean;
  ended: boolean;
  threads: ThreadInfo[];
  thread: ThreadRef;
  onThread(t: ThreadRef): void;
  onAction(a: DebugAction): void;
  onReverse(): void;
  onStepBack(n: number): void;
  onStepForward(n: number): void;
  onGoTo(cycle: number): void;
}

export function DebugToolbar({ running, ended, threads, thread, onThread, onAction, onReverse, onStepBack, onStepForward, onGoTo }: Props) {
  const [n, setN] = useState('100');
  const [cycle, setCycle] = useState('');
  const count = parseNumber(n);
  const at = parseNumber(cycle);
  const idle = !running;
  return (
    <div className="debug-toolbar" role="toolbar" aria-label="Debug controls">
      <button type="button" className="primary" onClick={() => onAction('continue')} disabled={running || ended} aria-label="Continue (F5)" title="Continue (F5)">▶ Continue</button>
      <button type="button" onClick={() => onAction('pause')} disabled={!running} aria-label="Pause (F6)" title="Pause (F6)">❚❚ Pause</button>
      <button type="button" onClick={() => onAction('step')} disabled={running || ended} aria-label="Step (F11)" title="Step one instruction (F11)">Step</button>
      <button type="button" onClick={() => onAction('next')} disabled={running || ended} aria-label="Next (F10)" title="Step over calls (F10)">Next</button>
      <button type="button" onClick={() => onAction('stepOut')} disabled={running || ended} aria-label="Step out (Shift+F11)" title="Step out: to the address in $ra (Shift+F11)">Out</button>
      <span className="sep" />
      <button type="button" onClick={onReverse} disabled={!idle} aria-label="Reverse continue" title="Back to the previous breakpoint stop (restores a snapshot and replays)">◀◀ Reverse</button>
      <label className="inline">N <input className="num" value={n} onChange={(e) => setN(e.target.value)} aria-label="Instructions to step back or forward" /></label>
      <button type="button" onClick={() => count && onStepBack(count)} disabled={!idle || !count} aria-label="Step back" title="Back N instructions of the thread (restores a snapshot and replays)">◀ Back</button>
      <button type="button" onClick={() => count && onStepForward(count)} disabled={!idle || !count || ended} aria-label="Step forward" title="N more instructions of the thread">Fwd ▶</button>
      <span className="sep" />
      <input className="num" value={cycle} onChange={(e) => setCycle(e.target.value)} placeholder="cycle" aria-label="Cycle to go to" onKeyDown={(e) => { if (e.key === 'Enter' && at !== undefined && idle) onGoTo(at); }} />
      <button type="button" onClick={() => at !== undefined && onGoTo(at)} disabled={!idle || at === undefined} aria-label="Go to cycle">Go to cycle</button>
      <span className="sep" />
      <label className="inline">Thread{' '}
        <select value={threadKey(thread)} onChange={(e) => onThread(parseThreadKey(e.target.value))} aria-label="Thread">
          {threads.map((t) => <option key={threadKey(t.ref)} value={threadKey(t.ref)}>{t.name}{'vcpu' in t.ref ? ` (${t.state})` : ''}</option>)}
        </select>
      </label>
    </div>
  );
}
