/** A horizontal-axis stacked bar chart of user / kernel / monitor / idle (Recharts, no animation). */
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CATEGORIES, CATEGORY_LABELS, type BarRow } from '../../../shared/api';

export const CATEGORY_COLORS = { user: '#4e79a7', kernel: '#f28e2b', monitor: '#e15759', idle: '#b8b0a8' } as const;

export function StackedBars({ rows, unit, height = 260, reference }: { rows: BarRow[]; unit: string; height?: number; reference?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={rows} margin={{ top: 24, right: 16, bottom: 4, left: 4 }} barCategoryGap="25%">
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis dataKey="label" tick={{ fill: 'var(--text)', fontSize: 12 }} stroke="var(--border)" interval={0} />
        <YAxis tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" unit={unit} width={52} />
        <Tooltip isAnimationActive={false} contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }} formatter={(v) => `${Number(v).toFixed(1)}${unit}`} />
        <Legend verticalAlign="top" height={22} wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={(v) => <span style={{ color: 'var(--text)' }}>{v}</span>} />
        {reference !== undefined && <ReferenceLine y={reference} stroke="var(--muted)" strokeDasharray="4 4" />}
        {CATEGORIES.map((c) => (
          <Bar key={c} dataKey={c} name={CATEGORY_LABELS[c]} stackId="t" fill={CATEGORY_COLORS[c]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
