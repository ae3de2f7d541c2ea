/** A `debug.read` of the open session, read again whenever `version` changes (a stop, a progress tick of a run) or the query does. */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../state/log';
import type { DebugQuery, DebugReadResult } from '../../../../shared/debug/types';

export function useRead(sessionId: string, q: DebugQuery | null, version: number): [DebugReadResult | null, string | undefined] {
  const [r, setR] = useState<DebugReadResult | null>(null);
  const [err, setErr] = useState<string>();
  const key = JSON.stringify(q);
  useEffect(() => {
    if (!q) { setR(null); return; }
    let live = true;
    api.debug.read(sessionId, q).then((x) => { if (live) { setR(x); setErr(undefined); } }, (e) => { if (live) { setR(null); setErr(describeError(e)); } });
    return () => { live = false; };
  }, [sessionId, key, version]);
  return [r, err];
}
