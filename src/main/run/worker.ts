/**
 * A run worker thread: builds the machine from the resolved experiment, runs it to a stop
 * condition and posts progress (simulated cycles, instructions, new console output) at most
 * every `progressMs` of host time, then the finished run record (host speed filled in). It runs
 * every `{ type: 'run' }` request it is sent (pool.ts), one after another, warm after the first.
 *
 * Bundled to out/run/worker.js by scripts/build-cli.mjs; the run manager finds it next to its
 * own bundle (out/main/index.js or out/web/server.js → ../run/worker.js). It imports only
 * src/core and node built-ins, so it needs nothing from node_modules. The guest build is cached
 * across workers and processes on disk (../guest-cache.ts).
 */
import { parentPort } from 'node:worker_threads';
import { persistentDisks, prepareExperiment } from '../../core/experiment/run';
import { defaultLimitNote } from '../../core/experiment/config';
import { withHostSpeed } from '../../core/experiment/record';
import type { PoolRequest, WorkerInput, WorkerMessage } from './protocol';
import { consoleFeed } from './console-feed';
import { installGuestCache } from '../guest-cache';

function post(m: WorkerMessage): void {
  parentPort!.postMessage(m);
}

function main(input: WorkerInput): void {
  const stop = new Int32Array(input.stop);
  const t0 = performance.now();
  installGuestCache();
  // Assembles `.s` inputs with the project assembler (and builds the guest OS for `guest`); its
  // diagnostics come back as field errors.
  const prep = prepareExperiment(input.resolved, { programs: input.programs, diskImage: input.diskImage, vms: input.vms, guest: input.guest });
  if (!prep.ok) { post({ type: 'error', errors: prep.errors }); return; }
  // Console streams: the machine console natively; each VM's own console under Disco.
  const chunks = consoleFeed(prep.value);
  let lastPost = -Infinity;
  const flush = (cycles: number, instructions: number) => {
    lastPost = performance.now();
    post({ type: 'progress', cycles, instructions, hostSeconds: (lastPost - t0) / 1000, console: chunks() });
  };
  const { result, record } = prep.value.run({
    progressEveryCycles: Math.max(1000, input.resolved.machine.quantumCycles * 20),
    onProgress: (p) => {
      if (Atomics.load(stop, 0) === 1) return false;
      if (performance.now() - lastPost >= input.progressMs) flush(p.cycles, p.instructions);
      return true;
    },
  });
  // Said before the last progress message, which carries the final cycle count.
  const note = defaultLimitNote(input.resolved, result.reason);
  if (note) post({ type: 'warning', message: note });
  flush(result.cycles, result.instructions);
  const inputs = { programs: input.programs, diskImage: input.diskImage, vms: input.vms, guest: input.guest };
  const disks = persistentDisks(input.resolved, inputs, prep.value).map(({ image, bytes, sectorsWritten, vm }) => ({ image, bytes, sectorsWritten, vm }));
  if (disks.length) post({ type: 'disks', disks });
  post({ type: 'done', record: withHostSpeed(record, (performance.now() - t0) / 1000) });
}

function runOne(input: WorkerInput): void {
  try {
    main(input);
  } catch (e) {
    post({ type: 'error', errors: [{ path: '', message: `simulator error: ${e instanceof Error ? e.message : String(e)}` }] });
  }
}

// one run per request, for as long as the host keeps this worker (pool.ts)
parentPort!.on('message', (m: PoolRequest) => { if (m.type === 'run') runOne(m.input); });
