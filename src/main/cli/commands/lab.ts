/**
 * `disco-lab lab`: run a lab (a paper's experiment as a file, src/core/labs) and print its
 * figure as a table beside the paper's numbers, with the shape checks.
 *
 *   disco-lab lab NAME|LAB.json [--jobs N] [--json OUT] [--no-cache] [--cache DIR]
 *   disco-lab lab NAME|LAB.json --shard K/N --json SHARD.json     (one array job's part)
 *   disco-lab lab merge SHARD.json... [--json OUT]                 (the parts into one result)
 *   disco-lab lab --list
 *
 * NAME is a built-in lab (resources/examples/labs/NAME.json) or one in ./labs. Records are
 * cached by content hash in `.disco-lab/cache` of the working directory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { deriveLab } from '../../../core/labs/derive';
import { expandLab } from '../../../core/labs/expand';
import { formatLabResult } from '../../../core/labs/format';
import { validateLab, type LabFile } from '../../../core/labs/lab';
import { mergeShards, parseShard, shardOf, type LabShard } from '../../../core/labs/cache';
import { runLab, type LabProgress } from '../../labs/runner';
import { simulatorVersion } from '../../labs/version';
import { fileSystemSource } from '../../run/sources';
import { resourcesDir } from '../../resources';
import { atomicWriteFile } from '../../workspace/atomic';
import type { CliCommand, CliIo } from '../command';

const USAGE = `usage: disco-lab lab NAME|LAB.json [--jobs N] [--json OUT] [--no-cache] [--cache DIR]
       disco-lab lab NAME|LAB.json --shard K/N --json SHARD.json
       disco-lab lab merge SHARD.json... [--json OUT]
       disco-lab lab --list

Runs a lab: a sweep of experiments, the derived figure beside the paper's numbers, and shape
checks. NAME is a built-in lab or labs/NAME.json here. Runs use --jobs worker threads (default:
the cores); records are cached by content hash in .disco-lab/cache (only what changed reruns).
--json writes { lab, title, rows, paper, checks: [{ name, pass, explanation, detail }] }.
--shard K/N runs every N-th point from the K-th and writes them to SHARD.json; \`merge\` joins the
shards of one lab and prints the result as a single run would (docs/labs.md: a Slurm array).

exit status: 0 every check passes; 1 a check fails or an input is bad; 2 usage error`;

/** Built-in labs and ./labs, name → file. */
function labFiles(cwd: string): Map<string, string> {
  const out = new Map<string, string>();
  const res = resourcesDir();
  for (const dir of [res && join(res, 'examples', 'labs'), join(cwd, 'labs')]) {
    if (!dir || !existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) out.set(f.replace(/\.json$/, ''), join(dir, f));
  }
  return out;
}

function resultJson(lab: LabFile, r: ReturnType<typeof deriveLab>) {
  return {
    lab: lab.name, title: lab.title, unit: r.unit, pass: r.pass,
    rows: r.rows.map((row) => ({ point: row.point.id, params: row.point.params, values: row.values, raw: row.raw })),
    paper: lab.paper ?? [], missing: r.missing,
    checks: r.checks.map((c) => ({ name: c.name, pass: c.pass, explanation: c.explanation, detail: c.detail })),
  };
}

async function write(io: CliIo, out: string, value: unknown): Promise<boolean> {
  try { await atomicWriteFile(resolve(io.cwd, out), JSON.stringify(value, null, 2) + '\n'); return true; } catch (e) { io.err(`${out}: cannot write: ${(e as Error).message}\n`); return false; }
}

async function merge(args: string[], io: CliIo): Promise<number> {
  let json: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--json') { json = args[++i]; if (!json) { io.err(`${USAGE}\n`); return 2; } } else if (args[i].startsWith('-')) { io.err(`${USAGE}\n`); return 2; } else files.push(args[i]);
  }
  if (!files.length) { io.err(`${USAGE}\n`); return 2; }
  const shards: (LabShard & { labFile: LabFile })[] = [];
  for (const f of files) {
    try { shards.push(JSON.parse(readFileSync(resolve(io.cwd, f), 'utf8'))); } catch (e) { io.err(`${f}: not a lab shard: ${(e as Error).message}\n`); return 1; }
  }
  const v = validateLab(shards[0].labFile);
  if (!v.ok) { io.err(`${files[0]}: not a lab shard (its lab is invalid)\n`); return 1; }
  const lab = v.value;
  if (shards.some((s) => JSON.stringify(s.labFile) !== JSON.stringify(shards[0].labFile))) { io.err('lab merge: the shards come from different versions of the lab\n'); return 1; }
  const m = mergeShards(lab.name, expandLab(lab), shards);
  if (!m.ok) { io.err(m.errors.map((e) => `lab merge: ${e}\n`).join('')); return 1; }
  const r = deriveLab(lab, m.records);
  io.out(formatLabResult(lab, r));
  if (json && !(await write(io, json, resultJson(lab, r)))) return 1;
  return r.pass ? 0 : 1;
}

export const labCommand: CliCommand = {
  name: 'lab',
  summary: 'run a lab: a paper figure from a sweep of experiments, with shape checks',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    if (args[0] === 'merge') return merge(args.slice(1), io);
    if (args[0] === '--list') {
      for (const [name, file] of labFiles(io.cwd)) {
        let title = '';
        try { title = (JSON.parse(readFileSync(file, 'utf8')) as { title?: string }).title ?? ''; } catch { title = '(unreadable)'; }
        io.out(`${name.padEnd(18)} ${title}\n`);
      }
      return 0;
    }
    let target: string | undefined, json: string | undefined, shardText: string | undefined, cache: string | null = join(io.cwd, '.disco-lab', 'cache');
    let jobs = availableParallelism();
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const value = () => { const v = args[++i]; if (v === undefined) throw new Error('missing value'); return v; };
      try {
        if (a === '--jobs') { jobs = Number(value()); if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) { io.err(`--jobs takes a whole number from 1 to 256\n\n${USAGE}\n`); return 2; } }
        else if (a === '--json') json = value();
        else if (a === '--shard') shardText = value();
        else if (a === '--no-cache') cache = null;
        else if (a === '--cache') cache = resolve(io.cwd, value());
        else if (a.startsWith('-')) { io.err(`disco-lab lab: unknown option '${a}'\n\n${USAGE}\n`); return 2; }
        else if (target === undefined) target = a;
        else { io.err(`${USAGE}\n`); return 2; }
      } catch { io.err(`disco-lab lab: ${a} needs a value\n\n${USAGE}\n`); return 2; }
    }
    if (!target) { io.err(`${USAGE}\n`); return 2; }
    const shard = shardText === undefined ? undefined : parseShard(shardText);
    if (shard && !shard.ok) { io.err(`${shard.message}\n`); return 2; }
    if (shard && !json) { io.err(`disco-lab lab: --shard needs --json SHARD.json (the shard's records)\n`); return 2; }
    const file = target.endsWith('.json') ? resolve(io.cwd, target) : labFiles(io.cwd).get(target);
    if (!file) { io.err(`disco-lab lab: no lab '${target}' (disco-lab lab --list names them)\n`); return 1; }
    let last = 0;
    const progress = (p: LabProgress) => {
      const now = performance.now();
      if (now - last < 2000 && p.done < p.total) return;
      last = now;
      io.err(`lab: ${p.done}/${p.total} points (${p.cached} cached)${p.running.length ? `, running ${p.running.length}` : ''}${p.etaSeconds !== null && p.done < p.total ? `, about ${Math.ceil(p.etaSeconds)} s left` : ''}\n`);
    };
    const r = await runLab(fileSystemSource(io.cwd), file, {
      jobs, cacheDir: cache, simulatorVersion: simulatorVersion(), onProgress: progress,
      points: shard?.ok ? (all) => shardOf(all, shard.k, shard.n) : undefined,
    });
    if (!r.ok) { io.err(r.errors.map((e) => `${e}\n`).join('')); return 1; }
    io.err(`lab: ${r.records.size} points, ${r.ran} run, ${r.cached} from the cache\n`);
    if (shard?.ok) {
      const out: LabShard & { labFile: LabFile } = { schema: 'disco-lab/lab-shard@1', lab: r.lab.name, shard: `${shard.k}/${shard.n}`, points: expandLab(r.lab).length, records: Object.fromEntries(r.records), labFile: r.lab };
      return (await write(io, json!, out)) ? 0 : 1;
    }
    io.out(formatLabResult(r.lab, r.result));
    if (json && !(await write(io, json, resultJson(r.lab, r.result)))) return 1;
    return r.result.pass ? 0 : 1;
  },
};
