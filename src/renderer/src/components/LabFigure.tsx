/**
 * A lab's figure beside the paper's, in the paper's layout (Recharts, no animation):
 *
 *   stacked-bars  one category per point, grouped by the figure's `x` (Figure 5: a group per
 *                 workload, a bar per configuration): our values stacked in filled segments, the
 *                 paper's stacked beside them as outlined segments of the same colours;
 *   bars          the same with the metrics side by side instead of stacked;
 *   line          one line per series (the other parameters) and metric along `x`, the paper's
 *                 values as hollow markers.
 *
 * A click on a bar (or on a point's marker) opens that point's run record. X labels: the series
 * value under each bar, the group's value centred under its group.
 */
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fmtLabValue, labCategories, labLines, type LabCategory, type LabFile, type LabLine, type LabResult } from '../../../shared/api';
import { CATEGORY_COLORS } from './StackedBars';

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** A metric's colour: Figure 5's for user / kernel / monitor / idle, else the palette by position. */
export function metricColor(metric: string, index: number): string {
  return (CATEGORY_COLORS as Record<string, string>)[metric] ?? PALETTE[index % PALETTE.length];
}

interface Props {
  lab: LabFile;
  result: LabResult;
  /** Opens a point's run record (by point id). */
  onPoint(pointId: string): void;
  height?: number;
}

const LINE_PX = 13;

/** The tick of a bar category: its label, and the group's label centred under the group. */
function CategoryTick({ x, y, cat, band, twoLevel }: { x: number; y: number; cat: LabCategory | undefined; band: number; twoLevel: boolean }) {
  if (!cat) return null;
  const chars = Math.max(4, Math.floor((band - 4) / 6.4));
  const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  return (
    <g transform={`translate(${x},${y + 4})`} className="x-tick">
      <title>{twoLevel ? `${cat.group} · ${cat.label}` : cat.label}</title>
      <text textAnchor="middle" fill="var(--text)" fontSize={11}>
        <tspan x={0} dy={10}>{short(cat.label, chars)}</tspan>
      </text>
      {twoLevel && cat.groupStart && (
        <text textAnchor="middle" fill="var(--text)" fontSize={12} fontWeight={600} className="x-group">
          <tspan x={((cat.groupSize - 1) * band) / 2} dy={10 + LINE_PX + 4}>{short(cat.group, Math.floor((cat.groupSize * band - 6) / 7))}</tspan>
        </text>
      )}
    </g>
  );
}

function BarsTooltip({ cat, lab, unit }: { cat: LabCategory; lab: LabFile; unit: string }) {
  const values = lab.figure.values;
  return (
    <div className="chart-tooltip" data-testid="lab-tooltip">
      <b>{cat.group}{cat.label !== cat.group ? ` · ${cat.label}` : ''}</b>
      <table>
        <thead><tr><td /><td className="num muted">ours</td>{cat.hasPaper && <td className="num muted">paper</td>}</tr></thead>
        <tbody>
          {[...values].map((m, i) => ({ m, i })).reverse().map(({ m, i }) => (
            <tr key={m}>
              <td><span className="swatch" style={{ background: metricColor(m, i) }} />{m}</td>
              <td className="num">{fmtLabValue(cat[`o${i}`])}</td>
              {cat.hasPaper && <td className="num">{fmtLabValue(cat[`p${i}`])}</td>}
            </tr>
          ))}
          {values.length > 1 && <tr className="total"><td>total</td><td className="num">{fmtLabValue(cat.oursTotal)}</td>{cat.hasPaper && <td className="num">{fmtLabValue(cat.paperTotal)}</td>}</tr>}
        </tbody>
      </table>
      <div className="muted small">{unit ? `${unit} · ` : ''}click: the run record</div>
    </div>
  );
}

export function LabFigure({ lab, result, onPoint, height = 250 }: Props) {
  const unit = lab.figure.unit ?? '';
  const hasPaper = (lab.paper ?? []).length > 0;
  const reference = lab.figure.normalize?.scale;
  if (lab.figure.type === 'line') {
    const { rows, lines } = labLines(lab, result);
    const many = new Set(lines.map((l) => l.seriesIndex)).size > 1;
    const colour = (l: LabLine) => (many ? PALETTE[l.seriesIndex % PALETTE.length] : metricColor(l.metric, l.metricIndex));
    // One series: a click at an x value opens that point's record (several: the links below the figure).
    const click = (s: { activeTooltipIndex?: number | string | null } | null) => {
      const xv = rows[Number(s?.activeTooltipIndex ?? -1)]?.x;
      const hits = result.rows.filter((r) => String(r.point.params[lab.figure.x]) === xv);
      if (hits.length === 1) onPoint(hits[0].point.id);
    };
    return (
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={rows} margin={{ top: 12, right: 20, bottom: 4, left: 4 }} onClick={many ? undefined : click} className={many ? undefined : 'clickable'}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="x" stroke="var(--border)" tick={{ fill: 'var(--text)', fontSize: 11.5 }} label={{ value: lab.figure.x, position: 'insideBottomRight', offset: -2, fill: 'var(--muted)', fontSize: 11 }} height={34} />
          <YAxis tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" width={60} />
          <Tooltip isAnimationActive={false} contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)', fontSize: 12 }} formatter={(v) => fmtLabValue(typeof v === 'number' ? v : null)} />
          {reference !== undefined && <ReferenceLine y={reference} stroke="var(--muted)" strokeDasharray="4 4" />}
          {lines.map((l) => (
            <Line key={l.key} dataKey={l.key} name={l.label} stroke={colour(l)} strokeWidth={2} isAnimationActive={false} connectNulls={false} dot={{ r: 3, className: 'ours-dot' }} className="ours-line" />
          ))}
          {lines.filter((l) => l.hasPaper).map((l) => (
            <Line key={l.paperKey} dataKey={l.paperKey} name={`${l.label} (paper)`} stroke="none" legendType="none" isAnimationActive={false}
              dot={{ r: 5, stroke: colour(l), strokeWidth: 2, fill: 'var(--panel)', className: 'paper-marker' }} activeDot={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    );
  }
  const cats = labCategories(lab, result);
  const stacked = lab.figure.type === 'stacked-bars';
  const twoLevel = cats.some((c) => c.label !== c.group);
  const values = lab.figure.values;
  const open = (_d: unknown, index: number) => { const c = cats[index]; if (c) onPoint(c.pointId); };
  return (
    <ResponsiveContainer width="100%" height={height + (twoLevel ? LINE_PX + 4 : 0)}>
      <BarChart data={cats} margin={{ top: 12, right: 16, bottom: 4, left: 4 }} barCategoryGap="18%" barGap={2}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis
          dataKey="pointId"
          stroke="var(--border)"
          interval={0}
          height={twoLevel ? 40 : 34}
          label={twoLevel ? undefined : { value: lab.figure.x, position: 'insideBottomRight', offset: -2, fill: 'var(--muted)', fontSize: 11 }}
          tick={(p: { x?: number | string; y?: number | string; index?: number; width?: number | string; visibleTicksCount?: number }) => (
            <CategoryTick x={Number(p.x)} y={Number(p.y)} cat={cats[p.index ?? -1]} band={Number(p.width ?? 400) / Math.max(1, p.visibleTicksCount ?? cats.length)} twoLevel={twoLevel} />
          )}
        />
        <YAxis tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" width={56} />
        <Tooltip
          isAnimationActive={false}
          cursor={{ fill: 'var(--hover)', opacity: 0.5 }}
          content={({ active, label }) => {
            const cat = active ? cats.find((c) => c.pointId === label) : undefined;
            return cat ? <BarsTooltip cat={cat} lab={lab} unit={unit} /> : null;
          }}
        />
        {reference !== undefined && <ReferenceLine y={reference} stroke="var(--muted)" strokeDasharray="4 4" />}
        {values.map((m, i) => (
          <Bar key={`o${i}`} dataKey={`o${i}`} name={m} stackId={stacked ? 'ours' : undefined} fill={metricColor(m, i)} isAnimationActive={false} cursor="pointer" onClick={open} className="ours-bar" />
        ))}
        {hasPaper && values.map((m, i) => (
          <Bar key={`p${i}`} dataKey={`p${i}`} name={`${m} (paper)`} stackId={stacked ? 'paper' : undefined} fill={metricColor(m, i)} fillOpacity={0.14} stroke={metricColor(m, i)} strokeWidth={1.5}
            isAnimationActive={false} cursor="pointer" onClick={open} className="paper-bar" />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** The legend under a figure: the metrics' colours, and how ours and the paper's are drawn. */
export function LabLegend({ lab }: { lab: LabFile }) {
  const hasPaper = (lab.paper ?? []).length > 0;
  const line = lab.figure.type === 'line';
  return (
    <div className="lab-legend" data-testid="lab-legend">
      {lab.figure.values.map((m, i) => (
        <span key={m}><span className="swatch" style={{ background: metricColor(m, i) }} />{m}</span>
      ))}
      <span className="spacer" />
      <span><span className={line ? 'swatch-line' : 'swatch'} style={{ background: line ? undefined : 'var(--muted)' }} />ours</span>
      {hasPaper && <span title={lab.source}><span className={line ? 'swatch-marker' : 'swatch outlined'} />paper</span>}
    </div>
  );
}
