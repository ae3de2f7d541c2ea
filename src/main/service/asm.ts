/**
 * `asm.assemble`: runs the project assembler over a workspace file (or unsaved editor text for
 * it) and returns what the editor needs — diagnostics, symbols, a listing — without bytes.
 * Assembly is fast and synchronous (a few ms for the example programs), so it runs in the
 * service directly; simulations go to workers (src/main/run).
 */
import { assemble } from '../../core/asm/index';
import { BARE_METAL_DATA_BASE, BARE_METAL_TEXT_BASE } from '../../core/experiment/run';
import { fail, MAX_LISTING_LINES, type AsmCheck } from '../../shared/api';
import { gatherIncludes, joinWorkspacePath } from '../run/sources';
import type { Workspace } from '../workspace/workspace';

/**
 * Largest source `asm.assemble` checks [characters]. The assembler runs on the host's event
 * loop (≈ 0.25 s per MiB here), so bigger inputs are refused rather than stalling the host.
 */
export const MAX_ASM_CHARS = 1024 * 1024;

export async function assembleInWorkspace(ws: Workspace, path: string, text?: string): Promise<AsmCheck> {
  // Even with text given, the path must be a legal workspace path (confined) — read it if no text.
  if (text !== undefined && joinWorkspacePath('', path) !== path) throw fail('E_PATH_ESCAPE', `${path}: not a plain workspace-relative path`);
  const source = text ?? (await ws.read(path)).content;
  if (source.length > MAX_ASM_CHARS) throw fail('E_TOO_LARGE', `${path}: over ${MAX_ASM_CHARS} characters; too large to check while editing`);
  const root = { path, text: source };
  const include = await gatherIncludes(ws, root);
  // The bases bare-metal runs link at (kseg0), so listing addresses match what runs.
  const r = assemble([root], { textBase: BARE_METAL_TEXT_BASE, dataBase: BARE_METAL_DATA_BASE, include, elf: false });
  const bytes = r.image ? r.image.segments.reduce((s, g) => s + g.bytes.length, 0) : 0;
  return {
    path,
    ok: r.ok,
    diagnostics: r.diagnostics,
    symbols: r.image?.symbols ?? [],
    listing: r.listing.slice(0, MAX_LISTING_LINES),
    listingTruncated: r.listing.length > MAX_LISTING_LINES,
    bytes,
  };
}
