/**
 * The monitor's memmap (Disco): for each machine page its owner (a VM, free, the monitor, or
 * shared copy-on-write between VMs), the guest page it backs, the page it is a replica of
 * (NUMA replication) and its node. Paged, with "go to page"; exact at a stop, refreshed while
 * the session runs.
 */
import { useState } from 'react';
import { hex } from './format';
import { PageRange } from './PageRange';
import { useRead } from './useRead';

const ROWS = 64;

export function MemmapPane({ sessionId, version }: { sessionId: string; version: number }) {
  const [from, setFrom] = useState(0);
  const [r, err] = useRead(sessionId, { what: 'memmap', from, count: ROWS }, version);
  const mm = r?.what === 'memmap' ? r : null;
  return (
    <section className="debug-pane" aria-label="memmap">
      <h3>memmap <span className="muted small">machine page → owner, guest page, replica of, node{mm ? ` · ${mm.used.toLocaleString('en-US')} pages in use` : ''}</span></h3>
      {mm && <PageRange from={from} rows={ROWS} pages={mm.pages} label="memmap" onFrom={setFrom} />}
      {err ? <p className="error-text small">{err}</p> : mm && (
        <table className="mono debug-table debug-scroll" data-testid="debug-memmap">
          <thead><tr><th>machine page</th><th>owner</th><th>guest page</th><th>replica of</th><th>node</th></tr></thead>
          <tbody>
            {mm.entries.map((e) => (
              <tr key={e.mpn} data-owner={e.ownerName}>
                <td>{hex(e.mpn)}</td><td>{e.ownerName}</td><td>{e.gppn >= 0 ? hex(e.gppn) : '—'}</td>
                <td>{e.replicaOf >= 0 ? hex(e.replicaOf) : '—'}</td><td>{e.node}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
