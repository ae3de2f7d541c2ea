/** The paging controls of the page-indexed panes (memmap, miss heat map): previous / next page of rows and a "go to page" input. */
import { useState } from 'react';
import { hex, parseNumber } from './format';

interface Props {
  /** First machine page shown. */
  from: number;
  rows: number;
  pages: number;
  label: string;
  onFrom(from: number): void;
}

export function PageRange({ from, rows, pages, label, onFrom }: Props) {
  const [go, setGo] = useState('');
  const at = parseNumber(go);
  const ok = at !== undefined && at < pages;
  const jump = () => { if (ok) onFrom(Math.floor(at / rows) * rows); };
  return (
    <div className="row">
      <button type="button" onClick={() => onFrom(Math.max(0, from - rows))} disabled={from === 0} aria-label={`${label}: previous pages`}>◀</button>
      <span className="mono small">{hex(from)}–{hex(Math.min(pages, from + rows) - 1)} of {pages.toLocaleString('en-US')} pages</span>
      <button type="button" onClick={() => onFrom(from + rows)} disabled={from + rows >= pages} aria-label={`${label}: next pages`}>▶</button>
      <input className="mono num" value={go} placeholder="page" onChange={(e) => setGo(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') jump(); }} aria-label={`${label}: go to page`} />
      <button type="button" onClick={jump} disabled={!ok} aria-label={`${label}: go`}>Go</button>
    </div>
  );
}
