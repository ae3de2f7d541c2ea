/**
 * Runs a resolved native experiment on a fresh machine. File reading, assembling `.s` sources
 * and timing happen in the caller (src/main); this is pure and deterministic.
 */
import type { ConfigError } from '../machine/config/types';
import { Machine, type RunOptions, type RunResult } from '../machine/machine';
import { parseElf, type LoadImage } from '../machine/elf';
import { assemble } from '../asm/index';
import type { SourceFile } from '../asm/types';
import type { ResolvedExperiment } from './config';
import { buildRunRecord, type RunRecord } from './record';

/**
 * Where bare-metal `.s` programs are linked: `.text` in kseg0 just above the exception vectors
 * (the first 4 KiB of RAM), `.data` at 512 KiB. The same for the project assembler and GNU ld.
 */
export const BARE_METAL_TEXT_BASE = 0x80001000;
export const BARE_METAL_DATA_BASE = 0x80080000;

/**
 * One program (same order as `experiment.programs`): ELF bytes, an already assembled image, or
 * assembly source, assembled here with the project assembler at the bare-metal bases
 * (`include` resolves `.include`; the host reads files).
 */
export type ProgramInput =
  | { elf: Uint8Array }
  | { image: LoadImage }
  | { source: SourceFile; include?: (name: string, from: string) => SourceFile | undefined };

export interface RunInputs {
  programs: ProgramInput[];
  diskImage?: Uint8Array;
  /** Overrides `experiment.console.input` (UTF-8 bytes). */
  consoleInput?: Uint8Array;
}

/** UTF-8 encoder (core has no TextEncoder in its lib). */
export function encodeUtf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

/** Builds the machine and loads the programs; errors point at `programs[i]`. */
export function prepareMachine(r: ResolvedExperiment, inputs: RunInputs): { ok: true; machine: Machine; entry: number } | { ok: false; errors: ConfigError[] } {
  const exp = r.experiment;
  if (inputs.programs.length !== exp.programs.length) throw new Error('bug: one ProgramInput per experiment program expected');
  const machine = new Machine(r.machine, {
    diskImage: inputs.diskImage,
    consoleInput: inputs.consoleInput ?? (exp.console?.input !== undefined ? encodeUtf8(exp.console.input) : undefined),
  });
  const errors: ConfigError[] = [];
  let entry: number | undefined;
  inputs.programs.forEach((p, i) => {
    const path = `programs[${i}]`;
    let image: LoadImage;
    if ('elf' in p) {
      const e = parseElf(p.elf);
      if (!e.ok) { errors.push({ path, message: `${exp.programs[i].path}: ${e.message}` }); return; }
      image = e.image;
    } else if ('source' in p) {
      const a = assemble([p.source], { textBase: BARE_METAL_TEXT_BASE, dataBase: BARE_METAL_DATA_BASE, include: p.include, elf: false });
      if (!a.ok || !a.image) {
        for (const d of a.diagnostics.filter((x) => x.severity === 'error')) errors.push({ path, message: `${d.file}:${d.line}:${d.col}: ${d.message}` });
        return;
      }
      image = a.image;
    } else image = p.image;
    const err = machine.load(image);
    if (err) { errors.push({ path, message: `${exp.programs[i].path}: ${err}` }); return; }
    if (exp.programs[i].entry || (i === 0 && !exp.programs.some((q) => q.entry))) entry = image.entry;
  });
  if (errors.length) return { ok: false, errors };
  machine.start(entry!);
  return { ok: true, machine, entry: entry! };
}

export interface ExperimentRun {
  machine: Machine;
  result: RunResult;
  record: RunRecord;
}

/** Prepares, runs to a stop condition and builds the record (host fields left null). */
export function runExperiment(r: ResolvedExperiment, inputs: RunInputs, opts: Omit<RunOptions, 'maxCycles' | 'maxInstructions'> = {}):
  { ok: true; value: ExperimentRun } | { ok: false; errors: ConfigError[] } {
  const p = prepareMachine(r, inputs);
  if (!p.ok) return p;
  const result = p.machine.run({ ...opts, ...r.limits });
  const record = buildRunRecord({ experiment: r.experiment, machine: p.machine, result, limits: r.limits });
  return { ok: true, value: { machine: p.machine, result, record } };
}
