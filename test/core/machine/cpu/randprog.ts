/**
 * Seeded random instruction-sequence generator for the differential tests. A program:
 *   1. loads every register except $0, $sp(29) and the buffer base $s7(23) with a random value
 *      (biased to edge cases), and fills a 256-byte buffer with random words;
 *   2. runs `length` random instructions: ALU (R and I forms, no trapping add/sub/addi),
 *      shifts, mult/div (including divide-by-zero and INT_MIN / −1), HI/LO moves, madd/msub,
 *      clz/clo, movz/movn, every load/store width incl. lwl/lwr/swl/swr at all alignments
 *      (base $s7, offsets inside the buffer), forward branches and branch-likely with random
 *      delay-slot instructions, jal/bal-style links;
 *   3. stores all registers and HI/LO to a dump area and write()s dump + buffer, then exits.
 * Deterministic: the same seed gives the same program.
 */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EDGE = [0, 1, -1, 2, 0x7fffffff, -0x80000000, 0x80000001 | 0, 0xffff, 0x8000, 0x7fff, 31, 32, 33, 0x55555555, 0xaaaaaaaa | 0];
// registers the random code may write: all but $0, $sp, $s7 (buffer base), $ra handled by links
const WREGS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27, 28, 30, 31];
const RREGS = [0, ...WREGS];

export interface RandomProgram { source: string; instructions: number }

export function randomProgram(seed: number, length: number): RandomProgram {
  const rnd = mulberry32(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const int = (n: number) => Math.floor(rnd() * n);
  const val = () => (rnd() < 0.35 ? pick(EDGE) : (Math.floor(rnd() * 0x100000000) | 0));
  const w = () => `$${pick(WREGS)}`;
  const rr = () => `$${pick(RREGS)}`;
  const imm16s = () => (rnd() < 0.3 ? pick([0, 1, -1, 32767, -32768]) : int(65536) - 32768);
  const imm16u = () => (rnd() < 0.3 ? pick([0, 1, 0xffff, 0x8000]) : int(65536));
  const lines: string[] = [];
  const emit = (s: string) => lines.push(`    ${s}`);
  let count = 0;
  let label = 0;

  const simple = (): string => {
    const k = int(20);
    switch (k) {
      case 0: return `${pick(['addu', 'subu', 'and', 'or', 'xor', 'nor', 'slt', 'sltu'])} ${w()}, ${rr()}, ${rr()}`;
      case 1: return `${pick(['movz', 'movn'])} ${w()}, ${rr()}, ${rr()}`;
      case 2: return `${pick(['sll', 'srl', 'sra'])} ${w()}, ${rr()}, ${int(32)}`;
      case 3: return `${pick(['sllv', 'srlv', 'srav'])} ${w()}, ${rr()}, ${rr()}`;
      case 4: return `${pick(['addiu', 'slti', 'sltiu'])} ${w()}, ${rr()}, ${imm16s()}`;
      case 5: return `${pick(['andi', 'ori', 'xori'])} ${w()}, ${rr()}, ${imm16u()}`;
      case 6: return `lui ${w()}, ${imm16u()}`;
      case 7: return `${pick(['mult', 'multu', 'madd', 'maddu', 'msub', 'msubu'])} ${rr()}, ${rr()}`;
      case 8: return `${pick(['div', 'divu'])} $0, ${rr()}, ${rr()}`;
      case 9: return `${pick(['mfhi', 'mflo'])} ${w()}`;
      case 10: return `${pick(['mthi', 'mtlo'])} ${rr()}`;
      case 11: return `mul ${w()}, ${rr()}, ${rr()}`;
      case 12: { const d = w(); return `${pick(['clz', 'clo'])} ${d}, ${rr()}`; }
      case 13: return `${pick(['lw', 'll'])} ${w()}, ${4 * int(64)}($23)`;
      case 14: return `${pick(['lh', 'lhu'])} ${w()}, ${2 * int(128)}($23)`;
      case 15: return `${pick(['lb', 'lbu', 'lwl', 'lwr'])} ${w()}, ${int(253)}($23)`;
      case 16: return `sw ${rr()}, ${4 * int(64)}($23)`;
      case 17: return `sh ${rr()}, ${2 * int(128)}($23)`;
      case 18: return `${pick(['sb', 'swl', 'swr'])} ${rr()}, ${int(253)}($23)`;
      default: return `addu ${w()}, ${rr()}, ${rr()}`;
    }
  };

  lines.push('    .set noreorder', '    .set noat', '    .text', '    .globl __start', '__start:');
  emit('lui $23, %hi(buf)');
  emit('addiu $23, $23, %lo(buf)');
  for (let i = 0; i < 64; i++) { emit(`li $1, ${val()}`); emit(`sw $1, ${4 * i}($23)`); }
  for (const r of WREGS) emit(`li $${r}, ${val()}`);
  emit(`mthi $${pick(WREGS)}`);
  emit(`mtlo $${pick(WREGS)}`);

  while (count < length) {
    const k = rnd();
    if (k < 0.12) {
      // forward branch over 1..3 instructions, random delay slot
      const l = `L${label++}`;
      const br = int(6);
      const likely = rnd() < 0.3;
      if (br === 0) emit(`${likely ? 'beql' : 'beq'} ${rr()}, ${rr()}, ${l}`);
      else if (br === 1) emit(`${likely ? 'bnel' : 'bne'} ${rr()}, ${rr()}, ${l}`);
      else if (br === 2) emit(`${pick(likely ? ['blezl', 'bgtzl', 'bltzl', 'bgezl'] : ['blez', 'bgtz', 'bltz', 'bgez'])} ${rr()}, ${l}`);
      else if (br === 3) emit(`${pick(likely ? ['bltzall', 'bgezall'] : ['bltzal', 'bgezal'])} $${pick(RREGS.filter((x) => x !== 31))}, ${l}`);
      else if (br === 4) emit(`jal ${l}`);
      else emit(`b ${l}`);
      emit(simple());  // delay slot
      const n = 1 + int(3);
      for (let i = 0; i < n; i++) emit(simple());
      lines.push(`${l}:`);
      count += n + 2;
    } else {
      emit(simple());
      count++;
    }
  }

  // dump all registers (except $sp) and HI/LO; $1 is the dump pointer, so dump it first via $23
  emit('sw $1, 0($23)');           // overwrite buf[0] with $1 ... then restore from dump is not needed
  emit('lui $1, %hi(dump)');
  emit('addiu $1, $1, %lo(dump)');
  for (let r = 2; r < 32; r++) if (r !== 29) emit(`sw $${r}, ${4 * r}($1)`);
  emit('mfhi $2');
  emit('sw $2, 128($1)');
  emit('mflo $2');
  emit('sw $2, 132($1)');
  emit('li $2, 4004');
  emit('li $4, 1');
  emit('move $5, $1');
  emit('li $6, 136');
  emit('syscall');
  emit('li $2, 4004');
  emit('li $4, 1');
  emit('move $5, $23');
  emit('li $6, 256');
  emit('syscall');
  emit('li $2, 4001');
  emit('li $4, 0');
  emit('syscall');
  lines.push('    .data', '    .align 4', 'buf: .space 260', 'dump: .space 136');
  return { source: lines.join('\n') + '\n', instructions: count };
}
