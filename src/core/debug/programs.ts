/**
 * Line tables of an experiment's programs, for source breakpoints and stack frames: the same
 * assembler at the same bases as the run (src/core/experiment/run.ts, src/core/guest/user.ts),
 * so the addresses are those of the bytes that run. Programs given as ELF files or images have no
 * source map and get none.
 *
 *   native `programs`      bare-metal, kseg0 (BARE_METAL_TEXT_BASE / DATA_BASE), every CPU
 *   `guest.programs`       user programs of the guest OS, kuseg (USER_TEXT_BASE / DATA_BASE),
 *                          in user mode — natively and in every VM under Disco
 *   Disco `vms[i].kernel`  a `.s` kernel of VM i at DISCO_GUEST_TEXT_BASE / DATA_BASE, that VM only
 */
import { assemble } from '../asm/index';
import type { SourceFile } from '../asm/types';
import { USER_DATA_BASE, USER_TEXT_BASE } from '../guest/programs';
import type { ResolvedExperiment } from '../experiment/config';
import { expandVms } from '../experiment/config';
import {
  BARE_METAL_DATA_BASE, BARE_METAL_TEXT_BASE, DISCO_GUEST_DATA_BASE, DISCO_GUEST_TEXT_BASE, includeCallback,
  type IncludedFile, type RunInputs,
} from '../experiment/run';
import { LineTable, type LineScope } from './lines';

function table(source: SourceFile, includes: readonly IncludedFile[] | undefined, textBase: number, dataBase: number, scope: LineScope): LineTable | undefined {
  const a = assemble([source], { textBase, dataBase, include: includeCallback(includes), elf: false, listing: false });
  return a.ok && a.image ? new LineTable(a.image.sourceMap, scope) : undefined;
}

/** The line tables of every program of the experiment that was given as source. */
export function experimentLineTables(r: ResolvedExperiment, inputs: RunInputs): LineTable[] {
  const out: LineTable[] = [];
  const add = (t: LineTable | undefined) => { if (t) out.push(t); };
  if (r.experiment.mode !== 'disco') {
    for (const p of inputs.programs) if ('source' in p) add(table(p.source, p.includes, BARE_METAL_TEXT_BASE, BARE_METAL_DATA_BASE, {}));
  } else {
    expandVms(r.experiment.vms ?? []).forEach((v, id) => {
      const k = inputs.vms?.[v.entry]?.kernel;
      if (k && 'source' in k) add(table(k.source, k.includes, DISCO_GUEST_TEXT_BASE, DISCO_GUEST_DATA_BASE, { vm: id }));
    });
  }
  for (const g of inputs.guest?.programs ?? []) {
    if ('source' in g.program) add(table(g.program.source, g.program.includes, USER_TEXT_BASE, USER_DATA_BASE, { user: true }));
  }
  return out;
}
