// A run under load (issue #18.8): a Denali run, or a Disco run whose guests serve the same load
// generator's clients — the summary table, throughput over the run and the distribution of
// response times: summaries that read the same at 10 VMs and at 10,000, never one bar per VM.
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LoadRecord } from '../../../shared/api';

const num = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
/** A response time for an axis: 850 µs, 12.5 ms, 1.2 s. */
const time = (us: number) => (us >= 1e6 ? `${num(us / 1e6, 1)} s` : us >= 1000 ? `${num(us / 1000, 1)} ms` : `${num(us, 0)} µs`);

/** `id` names the card and its test ids (`denali-table`, `load-throughput`, …). */
export function LoadCard({ id, title, load: l, rows }: { id: 'denali' | 'load'; title: string; load: LoadRecord; rows: { name: string; value: string; unit: string }[] }) {
  const series = l.throughputOverTime.map((x) => ({ ms: x.fromMs, perSecond: x.perSecond }));
  const hist = l.latencyHistogram.map((b) => ({ label: time(b.fromUs), range: `${time(b.fromUs)} – ${time(b.toUs)}`, count: b.count }));
  return (
    <section className="card" aria-label={id === 'denali' ? 'Denali' : 'Load'}>
      <h3>{title}</h3>
      <table className="data" data-testid={`${id}-table`}>
        <tbody>{rows.map((x) => <tr key={x.name}><td>{x.name}</td><td className="num mono">{x.value}</td><td className="muted">{x.unit}</td></tr>)}</tbody>
      </table>
      {series.length > 1 && (
        <figure className="chart" data-testid={`${id}-throughput`} aria-label="Throughput over the run">
          <figcaption className="muted small">Throughput over the run [requests per simulated second]</figcaption>
          <ResponsiveContainer width="100%" height={180}>
            <LineChart data={series} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="ms" type="number" domain={['dataMin', 'dataMax']} tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" unit=" ms" />
              <YAxis tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" width={64} tickFormatter={(v: number) => num(v)} />
              <Tooltip isAnimationActive={false} formatter={(v) => [`${num(Number(v))} requests/s`, 'throughput']} labelFormatter={(ms) => `from ${num(Number(ms), 1)} ms`} />
              <Line dataKey="perSecond" stroke="#4e79a7" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </figure>
      )}
      {hist.length > 0 && (
        <figure className="chart" data-testid={`${id}-latency`} aria-label="Response times">
          <figcaption className="muted small">Response times (requests per bin; 16 bins per doubling)</figcaption>
          <ResponsiveContainer width="100%" height={180}>
            <BarChart data={hist} margin={{ top: 8, right: 16, bottom: 4, left: 4 }} barCategoryGap={1}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
              <XAxis dataKey="label" tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" minTickGap={24} />
              <YAxis tick={{ fill: 'var(--muted)', fontSize: 11 }} stroke="var(--border)" width={64} tickFormatter={(v: number) => num(v)} />
              <Tooltip isAnimationActive={false} formatter={(v) => [`${num(Number(v))} requests`, 'answered']} labelFormatter={(_, p) => String((p?.[0]?.payload as { range?: string } | undefined)?.range ?? '')} />
              <Bar dataKey="count" fill="#59a14f" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      )}
    </section>
  );
}
