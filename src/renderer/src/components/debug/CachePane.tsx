/**
 * Each CPU's memory-system counters since the run began (the ccNUMA timing model's). The model
 * counts misses, not accesses, so hits are derived where they can be: L1I hits = instructions −
 * L1I misses; L2 hits = L1 misses the L2 served. Local / remote: L2 misses served by the CPU's
 * own node or another's. The fast CPU model has no caches (all zero).
 */
import { fmt } from './format';
import { useRead } from './useRead';

const COLS: [key: string, title: string, tip: string][] = [
  ['l1iHits', 'L1I hits', 'instructions − L1I misses'],
  ['l1iMisses', 'L1I miss', 'instruction fetches that missed the L1 instruction cache'],
  ['l1dMisses', 'L1D miss', 'loads and stores that missed the L1 data cache'],
  ['l2Hits', 'L2 hits', 'L1 misses served by the L2'],
  ['l2Misses', 'L2 miss', 'L1 misses that also missed the L2 and went to memory'],
  ['localMisses', 'local', 'L2 misses served by the CPU\'s own node'],
  ['remoteMisses', 'remote', 'L2 misses served by another node\'s memory'],
  ['threeHopMisses', '3-hop', 'L2 misses to a line another CPU held exclusive'],
  ['upgrades', 'upgr', 'stores to a line held shared (ownership from the directory)'],
  ['invalidationsReceived', 'inval', 'lines removed by another CPU\'s store, DMA or page invalidation'],
  ['stallCycles', 'stall', 'cycles of memory stall'],
];

export function CachePane({ sessionId, version }: { sessionId: string; version: number }) {
  const [r, err] = useRead(sessionId, { what: 'caches' }, version);
  const cpus = r?.what === 'caches' ? r.cpus : null;
  return (
    <section className="debug-pane" aria-label="Caches">
      <h3>Caches <span className="muted small">per CPU since the start{cpus && cpus[0]?.model !== 'timing' ? ' · the fast CPU model has no caches' : ''}</span></h3>
      {err ? <p className="error-text small">{err}</p> : cpus && (
        <table className="mono debug-table" data-testid="debug-caches">
          <thead><tr><th>CPU</th><th>node</th>{COLS.map(([k, t, tip]) => <th key={k} className="num" title={tip}>{t}</th>)}</tr></thead>
          <tbody>
            {cpus.map((c) => (
              <tr key={c.cpu}>
                <td>{c.cpu}</td><td>{c.node}</td>
                {COLS.map(([k]) => <td key={k} className="num">{fmt((c as unknown as Record<string, number>)[k])}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
