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
 *   `guest` (the guest OS)  its kernel, as the run builds it (the same cached build): natively
 *                          the kseg0 variant, under Disco each VM's variant (that VM only);
 *                          outside user mode; files named `<guest dir>/kernel/kernel.s`
 */
import { assemble } from '../asm/index';
import type { SourceFile, SourceMapEntry } from '../asm/types';
import { guestKernel } from '../guest/build';
import type { KernelVariant } from '../guest/kernel';
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
  const g0 = inputs.guest;
  if (r.experiment.guest && g0) {
    const named = (map: readonly SourceMapEntry[]) => map.map((e) => ({ ...e, file: `${g0.dir}/${e.file}` }));
    const kernel = (variant: KernelVariant, scope: LineScope) => {
      const k = guestKernel(g0.sources, variant);
      if (k.ok && k.value.image) out.push(new LineTable(named(k.value.image.sourceMap), { ...scope, kernel: true }));
    };
    if (r.experiment.mode !== 'disco') kernel('kseg0', {});
    else expandVms(r.experiment.vms ?? []).forEach((v, id) => { if (!inputs.vms?.[v.entry]?.kernel) kernel(v.variant ?? 'ksseg', { vm: id }); });
  }
  for (const g of inputs.guest?.programs ?? []) {
    if ('source' in g.program) add(table(g.program.source, g.program.includes, USER_TEXT_BASE, USER_DATA_BASE, { user: true }));
  }
  return out;
}
