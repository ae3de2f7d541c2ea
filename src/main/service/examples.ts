/**
 * The examples shipped with Disco Lab (resources/examples): `examples.list()` — the example
 * experiments with the workload they run and a one-line description — and `examples.copy(path)`,
 * which puts one into the workspace (with the example files it names that the workspace lacks),
 * never overwriting anything. A workspace is seeded with all of them when created; this brings
 * back one the user deleted, or adds examples shipped by a newer Disco Lab.
 */
import { constants, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fail, type ExampleInfo, type FileStat } from '../../shared/api';
import { confine } from '../workspace/confine';
import type { Workspace } from '../workspace/workspace';

/** Longest one-line summary [characters]. */
export const SUMMARY_CHARS = 120;

/**
 * A one-line summary of a description: its first sentence; when that is longer than
 * {@link SUMMARY_CHARS}, cut at the last clause boundary (`;`, ` — `) before the limit, else at a
 * word with `…`.
 */
export function firstSentence(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?])(\s|$)/.exec(t);
  const s = m ? m[1] : t;
  if (s.length <= SUMMARY_CHARS) return s;
  const head = s.slice(0, SUMMARY_CHARS);
  const clause = Math.max(head.lastIndexOf(';'), head.lastIndexOf(' — '));
  if (clause > SUMMARY_CHARS / 2) return head.slice(0, clause).trimEnd() + '.';
  const word = head.lastIndexOf(' ');
  return head.slice(0, word > 0 ? word : SUMMARY_CHARS - 1).replace(/[,;:]$/, '') + '…';
}

/** The workload of an example's file name: `pmake-disco-1cpu-2vm.json` → `pmake`, `service-denali-4vm.json` → `service`, `bare-hello.json` → `bare-hello`. */
export function workloadOfName(file: string): string {
  const stem = file.replace(/\.json$/, '');
  const m = /^(.+?)-(native|disco|denali)(?:-|$)/.exec(stem);
  return m ? m[1] : stem;
}

export async function listExamples(ws: Workspace, examplesDir: string | undefined): Promise<ExampleInfo[]> {
  if (!examplesDir) return [];
  const dir = join(examplesDir, 'experiments');
  let names: string[];
  try { names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort(); } catch { return []; }
  const out: ExampleInfo[] = [];
  for (const file of names) {
    try {
      const e = JSON.parse(await readFile(join(dir, file), 'utf8')) as { name?: unknown; mode?: unknown; description?: unknown };
      const path = `experiments/${file}`;
      out.push({
        path,
        name: typeof e.name === 'string' ? e.name : file.replace(/\.json$/, ''),
        workload: workloadOfName(file),
        mode: typeof e.mode === 'string' ? e.mode : '',
        summary: typeof e.description === 'string' ? firstSentence(e.description) : '',
        inWorkspace: await ws.read(path).then(() => true, () => false),
      });
    } catch { /* a broken example is not listed */ }
  }
  return out;
}

/** Relative file references inside an example (strings starting with `./` or `../`). */
function references(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') { if (/^\.\.?\//.test(v)) out.push(v); }
  else if (Array.isArray(v)) v.forEach((x) => references(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== '$schema') references(x, out);
  return out;
}

/** Copies `src` (a file of the examples folder) to the workspace path `rel` unless something is there. */
async function copyInto(ws: Workspace, src: string, rel: string): Promise<boolean> {
  const r = await confine(ws.root, rel);
  if (r.exists) return false;
  await mkdir(dirname(r.target), { recursive: true });
  try {
    await copyFile(src, r.target, constants.COPYFILE_EXCL);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fail('E_IO', `cannot copy the example ${rel}: ${(e as Error).message}`);
  }
}

export async function copyExample(ws: Workspace, examplesDir: string | undefined, path: string): Promise<FileStat> {
  const m = /^experiments\/([\w.-]+\.json)$/.exec(path);
  if (!examplesDir || !m) throw fail('E_NOT_FOUND', `${path} is not a shipped example`);
  const src = join(examplesDir, 'experiments', m[1]);
  if (!existsSync(src)) throw fail('E_NOT_FOUND', `${path} is not a shipped example`);
  if ((await confine(ws.root, path)).exists) throw fail('E_EXISTS', `${path} already exists in the workspace`);
  const text = await readFile(src, 'utf8');
  // The files it names (programs, disk images, kernels), when they are examples too.
  let refs: string[] = [];
  try { refs = references(JSON.parse(text)); } catch { /* copied as is */ }
  for (const ref of refs) {
    const abs = normalize(join(examplesDir, 'experiments', ref));
    const rel = relative(examplesDir, abs);
    if (rel.startsWith('..') || rel === '' || !existsSync(abs)) continue;
    await copyInto(ws, abs, rel.split(sep).join('/'));
  }
  return ws.create(path, 'file', text);
}
