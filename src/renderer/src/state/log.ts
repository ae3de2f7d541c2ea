/** The Output log shown in the results panel: what the UI did and what failed. */
import { useCallback, useMemo, useState } from 'react';
import { isApiError } from '../../../shared/api';

export interface LogEntry {
  id: number;
  time: string;
  level: 'info' | 'error';
  text: string;
}

let seq = 0;

/** Human text for a failure: `E_PATH_ESCAPE: '..' is not allowed…` or the error's message. */
export function describeError(e: unknown): string {
  if (isApiError(e)) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * `describeError(e)` for a message that already names `path`: the host's message often starts
 * with the same path (`experiments/x.json: invalid JSON …`), which is dropped so the path
 * appears once — `Could not start experiments/x.json: E_INVALID_INPUT: invalid JSON …`.
 */
export function messageAbout(path: string, e: unknown): string {
  const d = describeError(e);
  const esc = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return d.replace(new RegExp(`^((?:E_[A-Z_]+: )?)${esc}(?:: | (?=does not|is a|cannot))`), '$1');
}

export function useLog(limit = 500) {
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const add = useCallback(
    (level: LogEntry['level'], text: string) => {
      const time = new Date().toLocaleTimeString();
      setEntries((es) => [...es.slice(-(limit - 1)), { id: ++seq, time, level, text }]);
    },
    [limit],
  );
  const clear = useCallback(() => setEntries([]), []);
  /** Stable actions (safe in hook dependencies) and the entries to display. */
  const log = useMemo(() => ({ info: (t: string) => add('info', t), error: (t: string) => add('error', t), clear }), [add, clear]);
  return { entries, log };
}
export type Log = ReturnType<typeof useLog>['log'];
