/**
 * A drawn ccNUMA topology: one box per node with its CPUs and its memory, joined by the
 * interconnect, labelled with local/remote latency (or the distance matrix range). Pure view of
 * the (possibly invalid, half-typed) machine config: absurd values are clamped for drawing.
 */
const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

export function TopologyDiagram({ config }: { config: Record<string, unknown> }) {
  const nodes = Math.max(1, Math.min(32, Math.floor(num(config.nodes, 1))));
  const cpus = Math.max(1, Math.min(32, Math.floor(num(config.cpusPerNode, 1))));
  const mem = num(config.memoryPerNodeMB, 0);
  const lat = (config.latency ?? {}) as Record<string, unknown>;
  const dist = Array.isArray(config.distance) ? (config.distance as unknown[]).flat().filter((x): x is number => typeof x === 'number') : undefined;
  const cols = Math.min(nodes, 4);
  const rows = Math.ceil(nodes / cols);
  const shownCpus = Math.min(cpus, 8);
  const W = 150, H = 92, GX = 24, GY = 34, PAD = 12;
  const width = PAD * 2 + cols * W + (cols - 1) * GX;
  const height = PAD + rows * (H + GY) + 8;
  const busY = (r: number) => PAD + r * (H + GY) + H + GY / 2;
  const latText = dist && dist.length ? `distance ${Math.min(...dist)}–${Math.max(...dist)} ns` : `local ${num(lat.localNs, 300)} ns · remote ${num(lat.remoteNs, 900)} ns`;
  return (
    <figure className="topology" aria-label={`Topology: ${nodes} nodes × ${cpus} CPUs, ${mem} MiB per node`} data-testid="topology">
      <svg width="100%" viewBox={`0 0 ${width} ${height}`} role="img" style={{ maxWidth: width * 1.15, display: "block", margin: "0 auto" }}>
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
              {cpus > shownCpus && <text x={x + W - 8} y={y + 20} textAnchor="end" className="topo-small">{cpus} CPUs</text>}
              <rect x={x + 8} y={y + 58} width={W - 16} height={24} rx={3} className="topo-mem" />
              <text x={x + W / 2} y={y + 74} textAnchor="middle" className="topo-mem-text">{mem} MiB</text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">{nodes} node{nodes === 1 ? '' : 's'} × {cpus} CPU{cpus === 1 ? '' : 's'} = {nodes * cpus} CPUs · {nodes * mem} MiB · interconnect: {latText}</figcaption>
    </figure>
  );
}
