/**
 * What each monitor cause means, from the host (`monitor.causes()`, the table in
 * src/core/disco/causes.ts), loaded once per window.
 */
import { useEffect, useState } from 'react';
import { api } from '../api';

let cache: Promise<Record<string, string>> | undefined;

export function useCauses(): Record<string, string> {
  const [causes, setCauses] = useState<Record<string, string>>({});
  useEffect(() => {
    cache ??= api.monitor.causes().catch(() => { cache = undefined; return {}; });
    let live = true;
    void cache.then((c) => live && setCauses(c));
    return () => { live = false; };
  }, []);
  return causes;
}

/** The description of a cause; emulated instructions without their own entry get the generic one. */
export function causeText(causes: Record<string, string>, cause: string): string {
  if (causes[cause]) return causes[cause];
  const m = /^emulate\.([a-z0-9]+)$/.exec(cause);
  return m ? `The guest kernel executed the privileged instruction ${m[1]}: it traps in supervisor mode and the monitor emulates it.` : '';
}
