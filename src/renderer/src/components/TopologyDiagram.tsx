/**
 * A drawn ccNUMA topology: one box per node with its CPUs and its memory, joined by the
 * interconnect, labelled with local/remote latency (or the distance matrix range). It draws at
 * its natural size — the boxes wrap into as many columns as the panel fits, so labels keep their
 * size at any node count — and never draws a value the form marks invalid (forms/topology.ts).
 */
import { useEffect, useRef, useState } from 'react';
import type { ConfigError, MachineParamInfo } from '../../../shared/api';
import { topologyColumns, topologyModel, type TopologyModel } from '../forms/topology';

const WIDE = 150, NARROW = 100, H = 92, GY = 34, PAD = 12;

export function TopologyDiagram({ config, params = [], errors = [] }: { config: Record<string, unknown>; params?: MachineParamInfo[]; errors?: ConfigError[] }) {
  const last = useRef<Partial<TopologyModel>>({});
  const m = topologyModel(config, params, errors, last.current);
  useEffect(() => {
    if (!m.notDrawn.length) last.current = { nodes: m.nodes, cpusPerNode: m.cpusPerNode, memoryPerNodeMB: m.memoryPerNodeMB, localNs: m.localNs, remoteNs: m.remoteNs };
  });
  const box = useRef<HTMLElement>(null);
  const [avail, setAvail] = useState(360);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setAvail(el.clientWidth - 16));
    ro.observe(el);
    setAvail(el.clientWidth - 16);
    return () => ro.disconnect();
  }, []);
  const { nodes, cpusPerNode: cpus, memoryPerNodeMB: mem } = m;
  // Narrower boxes when the wide ones would stack one per row (same font, fewer CPU squares).
  const wideCols = topologyColumns(nodes, avail, WIDE, 24, PAD);
  const W = wideCols < Math.min(nodes, 2) ? NARROW : WIDE;
  const GX = W === WIDE ? 24 : 16;
  const cols = topologyColumns(nodes, avail, W, GX, PAD);
  const rows = Math.ceil(nodes / cols);
  const shownCpus = Math.min(cpus, W === WIDE ? 8 : 4);
  const width = PAD * 2 + cols * W + (cols - 1) * GX;
  const height = PAD + rows * (H + GY) + 8;
  const busY = (r: number) => PAD + r * (H + GY) + H + GY / 2;
  const latText = m.distance ? `distance ${m.distance[0]}–${m.distance[1]} ns` : `local ${m.localNs} ns · remote ${m.remoteNs} ns`;
  return (
    <figure className="topology" ref={box} aria-label={`Topology: ${nodes} nodes × ${cpus} CPUs, ${mem} MiB per node`} data-testid="topology" data-columns={cols}>
      <svg width={Math.min(width, Math.max(avail, W + 2 * PAD))} viewBox={`0 0 ${width} ${height}`} role="img" style={{ display: 'block', margin: '0 auto', maxWidth: '100%' }} className={m.notDrawn.length ? 'stale' : undefined}>
        {Array.from({ length: rows }, (_, r) => (
          <line key={r} x1={PAD} x2={width - PAD} y1={busY(r)} y2={busY(r)} className="topo-bus" />
        ))}
        {rows > 1 && <line x1={PAD} x2={PAD} y1={busY(0)} y2={busY(rows - 1)} className="topo-bus" />}
        {Array.from({ length: nodes }, (_, i) => {
          const x = PAD + (i % cols) * (W + GX);
          const y = PAD + Math.floor(i / cols) * (H + GY);
          const cw = Math.min(26, (W - 16 - (shownCpus - 1) * 4) / shownCpus);
          return (
            <g key={i} className="topo-node" data-node={i}>
              <line x1={x + W / 2} x2={x + W / 2} y1={y + H} y2={busY(Math.floor(i / cols))} className="topo-bus" />
              <rect x={x} y={y} width={W} height={H} rx={6} className="topo-box" />
              <text x={x + 8} y={y + 15} className="topo-label">node {i}</text>
              {Array.from({ length: shownCpus }, (_, c) => (
                <g key={c}>
                  <rect x={x + 8 + c * (cw + 4)} y={y + 24} width={cw} height={24} rx={3} className="topo-cpu" />
                  <text x={x + 8 + c * (cw + 4) + cw / 2} y={y + 40} textAnchor="middle" className="topo-cpu-text">{i * cpus + c}</text>
                </g>
              ))}
              {cpus > shownCpus && <text x={x + W - 8} y={y + 15} textAnchor="end" className="topo-small">{cpus} CPUs</text>}
              <rect x={x + 8} y={y + 58} width={W - 16} height={24} rx={3} className="topo-mem" />
              <text x={x + W / 2} y={y + 74} textAnchor="middle" className="topo-mem-text">{mem} MiB</text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        {nodes} node{nodes === 1 ? '' : 's'} × {cpus} CPU{cpus === 1 ? '' : 's'} = {nodes * cpus} CPUs · {nodes * mem} MiB · interconnect: {latText}
        {m.defaulted.length > 0 && <span data-testid="topology-defaults"> · defaults for {m.defaulted.join(', ')}</span>}
        {m.notDrawn.length > 0 && <span className="error-text" data-testid="topology-invalid"> · not drawn (invalid): {m.notDrawn.join(', ')}</span>}
      </figcaption>
    </figure>
  );
}
