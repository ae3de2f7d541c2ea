/**
 * Writing values into a parsed experiment before it is validated: a lab's sweep sets, e.g.,
 * `monitor.l2tlbEntries` or `machineOverrides.cpuModel` per point (src/core/labs).
 */

/**
 * Writes `set`'s values into a parsed experiment (a copy): dotted paths, numeric segments index
 * arrays, missing objects are created. Returns the copy, or an error naming the path.
 */
export function applySet(experiment: unknown, set: Readonly<Record<string, unknown>>): { ok: true; value: unknown } | { ok: false; message: string } {
  const root = JSON.parse(JSON.stringify(experiment ?? {})) as Record<string, unknown>;
  for (const [path, value] of Object.entries(set)) {
    const parts = path.split('.');
    if (parts.some((k) => ['__proto__', 'constructor', 'prototype'].includes(k))) return { ok: false, message: `set.${path}: not a settable name` };
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const key = parts[i];
      const next = (node as Record<string, unknown>)[key];
      if (next === undefined) {
        const created = /^\d+$/.test(parts[i + 1]) ? [] : {};
        (node as Record<string, unknown>)[key] = created;
        node = created;
      } else if (next !== null && typeof next === 'object') node = next as Record<string, unknown>;
      else return { ok: false, message: `set.${path}: '${parts.slice(0, i + 1).join('.')}' is not an object in the experiment` };
    }
    const last = parts[parts.length - 1];
    (node as Record<string, unknown>)[last] = value;
  }
  return { ok: true, value: root };
}
