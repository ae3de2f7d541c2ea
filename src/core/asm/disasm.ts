/**
 * Disassembler from the instruction table, in the style of `objdump -d -M no-aliases` but with
 * `$`-prefixed register names, so every line reassembles to the same word:
 *   addiu $sp,$sp,-32   lw $ra,28($sp)   beq $a0,$zero,0x400010   sll $zero,$zero,0x0
 * Immediates print as objdump prints them: signed decimal for sign-extended immediates and
 * offsets, hex for zero-extended immediates, shift amounts and codes. Optional code operands
 * are omitted when zero; `jalr` omits `$ra`; CP0 registers print as `$n` (objdump: `c0_name`).
 * Words that decode to nothing print as `.word 0x...`.
 */
import { decode } from '../isa/decode';
import { FIELDS, get } from '../isa/fields';
import { GPR_NAMES } from '../isa/registers';
import type { OperandKind } from '../isa/types';
import { ZERO_DEST_SYNTAX } from './pseudo';

const R = (n: number) => '$' + GPR_NAMES[n];
const hex = (n: number) => '0x' + (n >>> 0).toString(16);

export interface DisasmOptions {
  /** Name for an address (branch and jump targets print as `0x400010 <name>`). */
  symbolize?: (addr: number) => string | undefined;
}

/** One instruction word at address `pc` as assembly text. */
export function disassemble(word: number, pc: number, opts: DisasmOptions = {}): string {
  const w = word >>> 0;
  const spec = decode(w);
  if (!spec) return `.word ${hex(w)}`;
  const parts: string[] = ZERO_DEST_SYNTAX.has(spec.mnemonic) ? ['$zero'] : [];
  const kinds = spec.operands;
  for (let i = 0; i < kinds.length; i++) {
    const k: OperandKind = kinds[i];
    switch (k) {
      case 'rd': case 'rs': case 'rt':
        if (spec.mnemonic === 'jalr' && k === 'rd' && get(FIELDS.rd!, w) === 31) break;
        parts.push(R(get(FIELDS[k]!, w))); break;
      case 'c0reg': parts.push('$' + get(FIELDS.c0reg!, w)); break;
      case 'sa': case 'uimm16': case 'cacheop': parts.push(hex(get(FIELDS[k]!, w))); break;
      case 'simm16': parts.push(String(get(FIELDS.simm16!, w))); break;
      case 'mem': parts.push(`${get(FIELDS.simm16!, w)}(${R(get(FIELDS.rs!, w))})`); break;
      case 'branch': case 'jtarget': {
        const t = k === 'branch' ? (pc + 4 + (get(FIELDS.simm16!, w) << 2)) >>> 0 : (((pc + 4) & 0xf0000000) | ((w & 0x3ffffff) << 2)) >>> 0;
        const name = opts.symbolize?.(t);
        parts.push(hex(t) + (name ? ` <${name}>` : ''));
        break;
      }
      case 'brkcode': {
        const n = (w >>> 16) & 0x3ff, m = (w >>> 6) & 0x3ff;
        if (n || m) parts.push(m ? `${hex(n)},${hex(m)}` : hex(n));
        break;
      }
      case 'code20': case 'trapcode': case 'stype': case 'waitcode': case 'sel': {
        const v = get(FIELDS[k]!, w);
        if (v) parts.push(k === 'sel' ? String(v) : hex(v));
        break;
      }
    }
  }
  return parts.length ? `${spec.mnemonic}\t${parts.join(',')}` : spec.mnemonic;
}

export interface DisasmLine { addr: number; word: number; text: string; labels?: string[] }

/** Disassembles big-endian `bytes` loaded at `vaddr` (whole words only). */
export function disassembleBytes(bytes: Uint8Array, vaddr: number, opts: DisasmOptions & { labels?: (addr: number) => string[] | undefined } = {}): DisasmLine[] {
  const out: DisasmLine[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const word = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
    const addr = (vaddr + i) >>> 0;
    const labels = opts.labels?.(addr);
    out.push({ addr, word, text: disassemble(word, addr, opts), ...(labels?.length ? { labels } : {}) });
  }
  return out;
}

/**
 * objdump-like text: a `<label>:` header before labelled addresses, then
 * `  400000:\t27bdffe0 \taddiu\t$sp,$sp,-32` per word.
 */
export function formatListing(lines: readonly DisasmLine[]): string {
  let s = '';
  for (const l of lines) {
    if (l.labels) s += `\n${l.addr.toString(16).padStart(8, '0')} <${l.labels[0]}>:\n`;
    s += `${l.addr.toString(16).padStart(8, ' ')}:\t${l.word.toString(16).padStart(8, '0')} \t${l.text}\n`;
  }
  return s;
}
