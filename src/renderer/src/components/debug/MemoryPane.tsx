/** Memory as the program sees it, in one of three spaces (virtual through the thread's TLBs, a VM's guest-physical, machine), as a hex dump. */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../state/log';
import type { MemorySpace, ThreadRef } from '../../../../shared/debug/types';
import { hex8, parseNumber } from './format';

const BYTES = 128;

interface Props { sessionId: string; thread: ThreadRef; disco: boolean; vm: number; pc: number; version: number }

export function MemoryPane({ sessionId, thread, disco, vm, pc, version }: Props) {
  const [space, setSpace] = useState<MemorySpace>('virtual');
  const [addr, setAddr] = useState(() => hex8(pc & ~15));
  const [bytes, setBytes] = useState<number[] | null>(null);
  const [error, setError] = useState<string>();
  const at = parseNumber(addr);
  useEffect(() => {
    if (at === undefined) return;
    let live = true;
    api.debug.read(sessionId, { what: 'memory', space, addr: at, length: BYTES, ...(space === 'virtual' && { thread }), ...(space === 'guest' && { vm }) })
      .then((r) => { if (live && r.what === 'memory') { setBytes(r.bytes); setError(undefined); } }, (e) => { if (live) { setBytes(null); setError(describeError(e)); } });
    return () => { live = false; };
  }, [sessionId, space, at, JSON.stringify(thread), vm, version]);
  return (
    <section className="debug-pane" aria-label="Memory">
      <h3>Memory</h3>
      <div className="row">
        <select value={space} onChange={(e) => setSpace(e.target.value as MemorySpace)} aria-label="Address space">
          <option value="virtual">virtual (the thread's)</option>
          {disco && <option value="guest">guest-physical (vm{vm})</option>}
          <option value="machine">machine</option>
        </select>
        <input className="mono num" value={addr} onChange={(e) => setAddr(e.target.value)} aria-label="Memory address" />
        <button type="button" onClick={() => setAddr(hex8(pc & ~15))}>pc</button>
      </div>
      {error ? <p className="error-text small">{error}</p> : bytes && (
        <pre className="mono debug-hex" data-testid="debug-memory">
          {Array.from({ length: bytes.length / 16 }, (_, row) => {
            const line = bytes.slice(row * 16, row * 16 + 16);
            return `${hex8((at ?? 0) + row * 16)}  ${line.map((b) => b.toString(16).padStart(2, '0')).join(' ')}  ${line.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('')}\n`;
          }).join('')}
        </pre>
      )}
    </section>
  );
}
