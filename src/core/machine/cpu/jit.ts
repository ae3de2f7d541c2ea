/**
 * Basic-block compiler for the `fast` model (v86/jor1k style, `new Function`).
 *
 * A block starts at a hot instruction (not in a delay slot) and runs straight-line code up to
 * and including the first branch/jump and its delay slot, stopping earlier before any
 * instruction it does not compile (trapping arithmetic, traps, syscall/break, LL/SC, swl/swr,
 * madd/msub family, CP0/TLB ops, reserved) and never crossing the 4 KB page. Register numbers,
 * immediates, pcs and branch targets are constants in the generated code; memory goes through
 * the same soft-TLBs as the interpreter and falls back to the CPU's slow paths (which raise
 * exceptions precisely: pc, npc and delay-slot state of the faulting instruction are passed).
 *
 * Contract with the interpreter (core.ts):
 *   fn(cpu, r, mem, u8, u16, ltag, lbase, stag, sbase, res, B) → instructions executed (≥ 1),
 *   or −1 when the code changed since compilation (the block's words are re-checked against
 *   physical memory at entry: B = physical word index of the block's first instruction).
 *   On return `cpu.bpc` holds the next pc (npc = bpc + 4, not in a delay slot). If an exception
 *   was raised, `cpu.faulted` is true and the CPU state is already synced (count includes the
 *   faulting instruction). If a slow path set `cpu.endBatch` (MMIO, halt), the block returns
 *   right after that instruction. Self-modifying stores inside a running block take effect at the
 *   next block entry (as on hardware without an I-cache sync).
 */

export interface CompiledBlock {
  fn: BlockFn;
  /** Instructions in the block (upper bound of what one call executes). */
  length: number;
}
export type BlockFn = (cpu: unknown, r: Int32Array, mem: Int32Array, u8: Uint8Array, u16: Uint16Array,
  ltag: Int32Array, lbase: Int32Array, stag: Int32Array, sbase: Int32Array, res: unknown, B: number) => number;

const MAX_BLOCK = 48;
const BRANCHES = new Set(['beq', 'bne', 'blez', 'bgtz', 'bltz', 'bgez', 'bltzal', 'bgezal',
  'beql', 'bnel', 'blezl', 'bgtzl', 'bltzl', 'bgezl', 'bltzall', 'bgezall', 'j', 'jal', 'jr', 'jalr']);

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
const s32 = (n: number) => `${n | 0}`;

/** Source for one non-control instruction, or undefined if not compilable. */
function body(m: string, w: number, pc: number, npcExpr: string, slot: number, idx: number): string | undefined {
  const rs = (w >>> 21) & 31, rt = (w >>> 16) & 31, rd = (w >>> 11) & 31, sa = (w >>> 6) & 31;
  const simm = (w << 16) >> 16, uimm = w & 0xffff;
  const R = (n: number) => (n === 0 ? '0' : `r[${n}]`);
  const set = (d: number, e: string) => (d === 0 ? '' : `r[${d}] = ${e};`);
  const cnt = idx + 1;
  // memory helpers: fast path through the soft-TLB, slow path through the CPU (may fault)
  const ea = `va = (${R(rs)} + ${simm}) | 0; e = (va >>> 12) & 1023;`;
  // after a slow path: an exception ends the block (state already synced); an MMIO access or a
  // halt/stop request ends it after this instruction, like the interpreter ends its batch
  const after = `if (cpu.faulted) return ${cnt}; if (cpu.endBatch) { cpu.bpc = ${npcExpr}; return ${cnt}; }`;
  // a load: the value reaches the register before an MMIO access ends the block (an exception
  // returns first and leaves the register unchanged, as the interpreter does)
  const load = (prefix: string, hit: string, fast: string, call: string, write: string) =>
    `${ea} ${prefix} if (${hit}) { v = ${fast}; ${write} } else { v = cpu.${call}; if (cpu.faulted) return ${cnt}; ${write} if (cpu.endBatch) { cpu.bpc = ${npcExpr}; return ${cnt}; } }`;
  const at = `${hex(pc)} | 0, ${npcExpr}, ${slot}, ${idx}`;
  switch (m) {
    case 'addu': return set(rd, `(${R(rs)} + ${R(rt)}) | 0`);
    case 'subu': return set(rd, `(${R(rs)} - ${R(rt)}) | 0`);
    case 'and': return set(rd, `${R(rs)} & ${R(rt)}`);
    case 'or': return set(rd, `${R(rs)} | ${R(rt)}`);
    case 'xor': return set(rd, `${R(rs)} ^ ${R(rt)}`);
    case 'nor': return set(rd, `~(${R(rs)} | ${R(rt)})`);
    case 'slt': return set(rd, `${R(rs)} < ${R(rt)} ? 1 : 0`);
    case 'sltu': return set(rd, `(${R(rs)} >>> 0) < (${R(rt)} >>> 0) ? 1 : 0`);
    case 'movz': return rd === 0 ? '' : `if (${R(rt)} === 0) r[${rd}] = ${R(rs)};`;
    case 'movn': return rd === 0 ? '' : `if (${R(rt)} !== 0) r[${rd}] = ${R(rs)};`;
    case 'sll': return set(rd, `${R(rt)} << ${sa}`);
    case 'srl': return set(rd, `${R(rt)} >>> ${sa}`);
    case 'sra': return set(rd, `${R(rt)} >> ${sa}`);
    case 'sllv': return set(rd, `${R(rt)} << (${R(rs)} & 31)`);
    case 'srlv': return set(rd, `${R(rt)} >>> (${R(rs)} & 31)`);
    case 'srav': return set(rd, `${R(rt)} >> (${R(rs)} & 31)`);
    case 'mult': return `cpu.lo = Math.imul(${R(rs)}, ${R(rt)}); cpu.hi = cpu.mulhs(${R(rs)}, ${R(rt)});`;
    case 'multu': return `cpu.lo = Math.imul(${R(rs)}, ${R(rt)}); cpu.hi = cpu.mulhu(${R(rs)} >>> 0, ${R(rt)} >>> 0);`;
    case 'div': return `{ const a = ${R(rs)}; let b = ${R(rt)}; if (b === 0 || (b === -1 && a === -0x80000000)) b = 1; cpu.lo = (a / b) | 0; cpu.hi = (a % b) | 0; }`;
    case 'divu': return `{ const a = ${R(rs)} >>> 0; let b = ${R(rt)} >>> 0; if (b === 0) b = 1; cpu.lo = (a / b) | 0; cpu.hi = (a % b) | 0; }`;
    case 'mfhi': return set(rd, 'cpu.hi');
    case 'mflo': return set(rd, 'cpu.lo');
    case 'mthi': return `cpu.hi = ${R(rs)};`;
    case 'mtlo': return `cpu.lo = ${R(rs)};`;
    case 'mul': return set(rd, `Math.imul(${R(rs)}, ${R(rt)})`);
    case 'clz': return set(rd, `Math.clz32(${R(rs)})`);
    case 'clo': return set(rd, `Math.clz32(~${R(rs)})`);
    case 'addiu': return set(rt, `(${R(rs)} + ${simm}) | 0`);
    case 'slti': return set(rt, `${R(rs)} < ${simm} ? 1 : 0`);
    case 'sltiu': return set(rt, `(${R(rs)} >>> 0) < ${(simm >>> 0)} ? 1 : 0`);
    case 'andi': return set(rt, `${R(rs)} & ${uimm}`);
    case 'ori': return set(rt, `${R(rs)} | ${uimm}`);
    case 'xori': return set(rt, `${R(rs)} ^ ${uimm}`);
    case 'lui': return set(rt, s32(uimm << 16));
    case 'pref': case 'sync': return '';
    case 'lw': return load('', 'ltag[e] === (va & 0xfffff003)', 'mem[(lbase[e] + (va & 0xfff)) >>> 2]', `jload(va, 4, ${at})`, set(rt, 'v'));
    case 'lh': case 'lhu': return load('', 'ltag[e] === (va & 0xfffff001)', 'u16[((lbase[e] + (va & 0xfff)) ^ 2) >>> 1]', `jload(va, 2, ${at})`, set(rt, m === 'lh' ? '(v << 16) >> 16' : 'v'));
    case 'lb': case 'lbu': return load('', 'ltag[e] === (va & 0xfffff000)', 'u8[(lbase[e] + (va & 0xfff)) ^ 3]', `jload(va, 1, ${at})`, set(rt, m === 'lb' ? '(v << 24) >> 24' : 'v'));
    case 'lwl': case 'lwr': {
      const k = `(va & 3)`;
      const merge = m === 'lwl'
        ? `r[${rt}] = (v << (8 * k)) | (r[${rt}] & ((1 << (8 * k)) - 1));`
        : `r[${rt}] = k === 3 ? v : (v >>> (8 * (3 - k))) | (r[${rt}] & ~(0xffffffff >>> (8 * (3 - k))));`;
      return load('wa = va & ~3;', 'ltag[e] === (wa & 0xfffff003)', 'mem[(lbase[e] + (wa & 0xfff)) >>> 2]', `jload(wa, 4, ${at})`, rt === 0 ? '' : `{ const k = ${k}; ${merge} }`);
    }
    case 'sw': return `${ea} if (stag[e] === (va & 0xfffff003)) { pa = sbase[e] + (va & 0xfff); mem[pa >>> 2] = ${R(rt)}; if (res.active !== 0) res.store(pa); } else { cpu.jstore(va, 4, ${R(rt)}, ${at}); ${after} }`;
    case 'sh': return `${ea} if (stag[e] === (va & 0xfffff001)) { pa = sbase[e] + (va & 0xfff); u16[(pa ^ 2) >>> 1] = ${R(rt)}; if (res.active !== 0) res.store(pa); } else { cpu.jstore(va, 2, ${R(rt)}, ${at}); ${after} }`;
    case 'sb': return `${ea} if (stag[e] === (va & 0xfffff000)) { pa = sbase[e] + (va & 0xfff); u8[pa ^ 3] = ${R(rt)}; if (res.active !== 0) res.store(pa); } else { cpu.jstore(va, 1, ${R(rt)}, ${at}); ${after} }`;
    default: return undefined;
  }
}

/**
 * Compile the block starting at word `wi` of a code page whose words are `words` (a copy of
 * physical memory) and whose first byte has virtual address `pageVa`. Returns undefined when
 * the first instruction is not compilable.
 */
export function compileBlock(words: ArrayLike<number>, mnemonicOf: (w: number) => string, wi: number, pageVa: number): CompiledBlock | undefined {
  const parts: string[] = [];
  const checks: string[] = [];
  let n = 0;
  let end = '';
  for (let i = wi; i < 1024 && n < MAX_BLOCK; i++) {
    const w = words[i] | 0;
    const m = mnemonicOf(w);
    const pc = (pageVa + i * 4) | 0;
    if (BRANCHES.has(m)) {
      if (i + 1 >= 1024) break;
      const sw = words[i + 1] | 0;
      const sm = mnemonicOf(sw);
      if (BRANCHES.has(sm)) break;
      const rs = (w >>> 21) & 31, rt = (w >>> 16) & 31, rd = (w >>> 11) & 31;
      const R = (k: number) => (k === 0 ? '0' : `r[${k}]`);
      const slotPc = (pc + 4) | 0, fall = (pc + 8) | 0;
      const target = (slotPc + (((w << 16) >> 16) << 2)) | 0;
      let cond: string | undefined, tgt = hex(target) + ' | 0', link = '', likely = false;
      switch (m) {
        case 'beq': cond = `${R(rs)} === ${R(rt)}`; break;
        case 'bne': cond = `${R(rs)} !== ${R(rt)}`; break;
        case 'blez': cond = `${R(rs)} <= 0`; break;
        case 'bgtz': cond = `${R(rs)} > 0`; break;
        case 'bltz': cond = `${R(rs)} < 0`; break;
        case 'bgez': cond = `${R(rs)} >= 0`; break;
        case 'bltzal': cond = `${R(rs)} < 0`; link = `r[31] = ${s32(fall)};`; break;
        case 'bgezal': cond = `${R(rs)} >= 0`; link = `r[31] = ${s32(fall)};`; break;
        case 'beql': cond = `${R(rs)} === ${R(rt)}`; likely = true; break;
        case 'bnel': cond = `${R(rs)} !== ${R(rt)}`; likely = true; break;
        case 'blezl': cond = `${R(rs)} <= 0`; likely = true; break;
        case 'bgtzl': cond = `${R(rs)} > 0`; likely = true; break;
        case 'bltzl': cond = `${R(rs)} < 0`; likely = true; break;
        case 'bgezl': cond = `${R(rs)} >= 0`; likely = true; break;
        case 'bltzall': cond = `${R(rs)} < 0`; likely = true; link = `r[31] = ${s32(fall)};`; break;
        case 'bgezall': cond = `${R(rs)} >= 0`; likely = true; link = `r[31] = ${s32(fall)};`; break;
        case 'j': tgt = s32((slotPc & 0xf0000000) | ((w & 0x3ffffff) << 2)); break;
        case 'jal': tgt = s32((slotPc & 0xf0000000) | ((w & 0x3ffffff) << 2)); link = `r[31] = ${s32(fall)};`; break;
        case 'jr': tgt = 'jt'; break;
        case 'jalr': tgt = 'jt'; link = rd === 0 ? '' : `r[${rd}] = ${s32(fall)};`; break;
        default: break;
      }
      // the delay slot sees npc = the branch outcome
      const nx = cond === undefined ? tgt : `(t ? ${tgt} : ${s32(slotPc + 4)})`;
      const slotBody = body(sm, sw, slotPc, nx, 1, n + 1);
      if (slotBody === undefined) break;
      checks.push(`mem[B + ${i - wi}] !== ${w}`, `mem[B + ${i + 1 - wi}] !== ${sw}`);
      const jt = m === 'jr' || m === 'jalr' ? `const jt = ${R(rs)};` : '';
      if (cond === undefined) {
        end = `${jt} ${link} ${slotBody} cpu.bpc = ${tgt}; return ${n + 2};`;
      } else if (!likely) {
        end = `const t = ${cond}; ${link} ${slotBody} cpu.bpc = t ? ${tgt} : ${s32(slotPc + 4)}; return ${n + 2};`;
      } else {
        end = `const t = ${cond}; ${link} if (!t) { cpu.bpc = ${s32(slotPc + 4)}; return ${n + 1}; } ${slotBody} cpu.bpc = ${tgt}; return ${n + 2};`;
      }
      n += 2;
      break;
    }
    const b = body(m, w, pc, s32(pc + 4), 0, n);
    if (b === undefined) break;
    checks.push(`mem[B + ${i - wi}] !== ${w}`);
    parts.push(b);
    n++;
  }
  if (n === 0) return undefined;
  if (end === '') end = `cpu.bpc = ${s32(pageVa + (wi + n) * 4)}; return ${n};`;
  const src = `"use strict"; if (${checks.join(' || ')}) return -1; let va = 0, e = 0, v = 0, pa = 0, wa = 0;\n${parts.join('\n')}\n${end}`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const fn = new Function('cpu', 'r', 'mem', 'u8', 'u16', 'ltag', 'lbase', 'stag', 'sbase', 'res', 'B', src) as BlockFn;
  return { fn, length: n };
}
