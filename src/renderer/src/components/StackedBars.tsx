/**
 * A stacked bar chart of user / kernel / monitor / idle (Recharts, no animation). X labels are
 * wrapped to the width of their bar's band (at most three lines, then an ellipsis; the full text
 * is the label's tooltip), so they never overlap however many runs are shown. The tooltip gives
 * every value with its unit (`valueUnit`) and, when known, the cycles behind it.
 */
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CATEGORIES, CATEGORY_LABELS, type BarRow, type Category } from '../../../shared/api';
import { LINE_PX, MAX_LABEL_LINES, wrapLabel } from '../chart-labels';

export const CATEGORY_COLORS = { user: '#4e79a7', kernel: '#f28e2b', monitor: '#e15759', idle: '#b8b0a8' } as const;

/** Characters per line that fit `width` px at the tick font (≈ 6.6 px per character at 11.5 px). */
const CHAR_PX = 6.6;

interface Props {
  rows: BarRow[];
  /** Unit of the Y axis tick labels (`%` or ''). */
  unit: string;
  /** What a value means, for the tooltip: `% of the baseline's time`. */
  valueUnit: string;
  /** The cycles behind a value (row index, category), for the tooltip. */
  cyclesOf?: (row: number, c: Category) => number | undefined;
  height?: number;
  reference?: number;
}

function Tick({ x, y, label, band }: { x: number; y: number; label: string; band: number }) {
  const lines = wrapLabel(label, (band - 6) / CHAR_PX);
  return (
    <g transform={`translate(${x},${y + 4})`} className="x-tick">
      <title>{label}</title>
      <text textAnchor="middle" fill="var(--text)" fontSize={11.5}>
        {lines.map((l, i) => <tspan key={i} x={0} dy={i === 0 ? 10 : LINE_PX}>{l}</tspan>)}
      </text>
    </g>
  );
}

export function StackedBars({ rows, unit, valueUnit, cyclesOf, height = 260, reference }: Props) {
  const fmt = (v: number) => `${v.toFixed(1)}${unit === '%' ? ' %' : ''}`;
  // The widest label decides the axis height (up to three lines).
  const lines = Math.min(MAX_LABEL_LINES, Math.max(1, ...rows.map((r) => Math.ceil(r.label.length / 24))));
  return (
    <ResponsiveContainer width="100%" height={height + (lines - 1) * LINE_PX}>
      <BarChart data={rows} margin={{ top: 24, right: 16, bottom: 4, left: 4 }} barCategoryGap="25%">
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis
          dataKey="label"
          stroke="var(--border)"
          interval={0}
          height={14 + lines * LINE_PX}
          tick={(p: { x?: number | string; y?: number | string; payload?: { value?: unknown }; width?: number | string; visibleTicksCount?: number }) => (
            <Tick x={Number(p.x)} y={Number(p.y)} label={String(p.payload?.value ?? '')} band={Number(p.width ?? 400) / Math.max(1, p.visibleTicksCount ?? rows.length)} />
          )}
        />
        <YAxis tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" unit={unit} width={52} />
        <Tooltip
          isAnimationActive={false}
          cursor={{ fill: 'var(--hover)', opacity: 0.5 }}
          content={({ active, payload, label }) => {
            if (!active || !payload?.length) return null;
            const row = rows.findIndex((r) => r.label === label);
            return (
              <div className="chart-tooltip" data-testid="chart-tooltip">
                <b>{label}</b>
                <table>
                  <tbody>
                    {[...payload].reverse().map((p) => {
                      const c = p.dataKey as Category;
                      const cyc = row >= 0 ? cyclesOf?.(row, c) : undefined;
                      return (
                        <tr key={c}>
                          <td><span className="swatch" style={{ background: CATEGORY_COLORS[c] }} />{CATEGORY_LABELS[c]}</td>
                          <td className="num">{fmt(Number(p.value))}</td>
                          <td className="muted">{valueUnit}{cyc !== undefined ? ` · ${Math.round(cyc).toLocaleString('en-US')} cycles` : ''}</td>
                        </tr>
                      );
                    })}
                    {row >= 0 && <tr className="total"><td>Total</td><td className="num">{fmt(rows[row].total)}</td><td className="muted">{valueUnit}</td></tr>}
                  </tbody>
                </table>
              </div>
            );
          }}
        />
        <Legend verticalAlign="top" height={22} wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={(v) => <span style={{ color: 'var(--text)' }}>{v}</span>} />
        {reference !== undefined && <ReferenceLine y={reference} stroke="var(--muted)" strokeDasharray="4 4" />}
        {CATEGORIES.map((c) => (
          <Bar key={c} dataKey={c} name={CATEGORY_LABELS[c]} stackId="t" fill={CATEGORY_COLORS[c]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
