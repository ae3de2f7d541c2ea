/**
 * The simulator's version for lab cache keys: a hash of the code that produces run records —
 * the run-worker bundle when the host runs built, else every source file of src/core. Any change
 * to the simulator changes it, so a cached record is never reused by a different simulator.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sha256 } from '../../core/labs/cache';
import { workerScript } from '../worker-script';

let memo: string | undefined;

export function simulatorVersion(): string {
  if (memo) return memo;
  const h = new Sha256();
  const script = workerScript('worker', 'run/worker.ts', import.meta.url);
  if (typeof script === 'string') h.update(readFileSync(script));
  else {
    // source mode: src/core, file by file in a fixed order
    const core = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core');
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []));
    for (const f of walk(core)) { h.updateString(f.slice(core.length)); h.update(readFileSync(f)); }
  }
  return (memo = h.digestHex().slice(0, 16));
}
