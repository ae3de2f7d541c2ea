/**
 * The twin of an experiment for the side-by-side TLB-miss trace: the same programs in the other
 * mode, found by name beside it: `-native` ↔ `-disco` in the file name (the shipped example
 * tlb-miss-walkthrough-native.json / tlb-miss-walkthrough-disco.json is such a pair).
 */
import { posix } from 'node:path';
import type { Workspace } from '../workspace/workspace';

/** Candidate twin paths of `path` (workspace-relative), best first. */
export function twinCandidates(path: string): string[] {
  const dir = posix.dirname(path), base = posix.basename(path);
  const out: string[] = [];
  if (base.includes('-native')) out.push(base.replace('-native', '-disco'));
  else if (base.includes('-disco')) out.push(base.replace('-disco', '-native'));
  return out.map((b) => (dir === '.' ? b : `${dir}/${b}`)).filter((p) => p !== path);
}

/** The first candidate that exists in the workspace, or null. */
export async function findTwin(ws: Workspace, path: string): Promise<string | null> {
  for (const c of twinCandidates(path)) {
    if (await ws.read(c).then(() => true, () => false)) return c;
  }
  return null;
}
