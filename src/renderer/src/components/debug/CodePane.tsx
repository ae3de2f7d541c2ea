/** The disassembly around the pc (each line with its source location) and the source around the pc's line. */
import { useEffect, useRef } from 'react';
import type { DebugThreadState } from '../../../../shared/debug/types';
import { hex8, shortFile } from './format';

export function CodePane({ st }: { st: DebugThreadState }) {
  const cur = useRef<HTMLTableRowElement>(null);
  useEffect(() => { cur.current?.scrollIntoView?.({ block: 'nearest' }); }, [st]);
  const src = st.source;
  return (
    <section className="debug-pane debug-code" aria-label="Code">
      <h3>
        Disassembly{' '}
        <span className="muted small" data-testid="debug-location">{st.location ? `${shortFile(st.location.file)}:${st.location.line}` : 'no source line here'} · pc {hex8(st.registers.pc)}</span>
      </h3>
      <table className="mono debug-disasm" data-testid="debug-disasm">
        <tbody>
          {st.disasm.map((d) => (
            <tr key={d.addr} ref={d.current ? cur : undefined} className={d.current ? 'current' : undefined} aria-current={d.current || undefined}>
              <td>{d.current ? '▶' : ''}</td>
              <td>{hex8(d.addr)}</td>
              <td>{d.text}</td>
              <td className="muted">{d.source ? shortFile(d.source) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {src && (
        <>
          <h3>Source <span className="muted small">{shortFile(src.file)}</span></h3>
          <pre className="debug-source mono" data-testid="debug-source">
            {src.lines.map((l, i) => {
              const n = src.first + i;
              return <div key={n} className={n === src.current ? 'current' : undefined}>{String(n).padStart(5)}  {l}</div>;
            })}
          </pre>
        </>
      )}
    </section>
  );
}
