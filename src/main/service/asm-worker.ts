/**
 * The assembler worker thread behind `asm.assemble`: the editor's live checks run here, never on
 * the host's event loop, so no input can block the UI or other clients. The pool in ./asm.ts
 * bounds each job's wall time and the thread's heap, and replaces a worker it had to stop.
 *
 * Protocol (structured-clone data only): the worker posts `{type: 'ready'}` once loaded, then
 * answers each {@link AsmJob} with one {@link AsmReply}.
 *
 * Bundled to out/run/asm-worker.js by scripts/build-cli.mjs, beside the run worker; the pool
 * finds it next to its own bundle (out/main/index.js, out/web/server.js, out/cli/index.mjs →
 * ../run/asm-worker.js). It imports only src/core, src/shared data and the pure helpers of
 * ../run/sources, so it needs nothing from node_modules.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { assemble } from '../../core/asm/index';
import type { SourceFile } from '../../core/asm/types';
import { BARE_METAL_DATA_BASE, BARE_METAL_TEXT_BASE, includeCallback, type IncludedFile } from '../../core/experiment/run';
import { MAX_LISTING_LINES, type AsmCheck } from '../../shared/lab/types';

/** One check: the file (its unsaved text) and every file it may `.include`, read beforehand. */
export interface AsmJob {
  id: number;
  root: SourceFile;
  includes: IncludedFile[];
}

export type AsmReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; check: AsmCheck }
  /** An exception escaped the assembler (a bug): reported to the caller as E_INTERNAL. */
  | { type: 'bug'; id: number; message: string };

/** Marks the thread as ours in `workerData` (so importing this module elsewhere does nothing). */
export const ASM_WORKER_TAG = 'disco-lab/asm-worker';

/** What `asm.assemble` returns for one source: diagnostics, symbols, the start of the listing. */
export function checkSource(job: Pick<AsmJob, 'root' | 'includes'>): AsmCheck {
  const { root } = job;
  // The bases bare-metal runs link at (kseg0), so listing addresses match what runs.
  const r = assemble([root], { textBase: BARE_METAL_TEXT_BASE, dataBase: BARE_METAL_DATA_BASE, include: includeCallback(job.includes), elf: false });
  const bytes = r.image ? r.image.segments.reduce((s, g) => s + g.bytes.length, 0) : 0;
  return {
    path: root.path,
    ok: r.ok,
    diagnostics: r.diagnostics,
    symbols: r.image?.symbols ?? [],
    listing: r.listing.slice(0, MAX_LISTING_LINES),
    listingTruncated: r.listing.length > MAX_LISTING_LINES,
    bytes,
  };
}

const port = parentPort;
if (port && (workerData as { tag?: unknown } | undefined)?.tag === ASM_WORKER_TAG) {
  port.on('message', (job: AsmJob) => {
    let reply: AsmReply;
    try {
      reply = { type: 'done', id: job.id, check: checkSource(job) };
    } catch (e) {
      reply = { type: 'bug', id: job.id, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ type: 'ready' } satisfies AsmReply);
}
