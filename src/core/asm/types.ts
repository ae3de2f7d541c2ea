/**
 * Public, serialisable types of the assembler (plain objects and arrays only — no Map, no class
 * instances — so a result can cross IPC / worker boundaries unchanged).
 */

/** One input file. `path` is used verbatim in diagnostics and the source map. */
export interface SourceFile {
  path: string;
  text: string;
}

export interface AssembleOptions {
  /** Address of `.text` (default 0x00400000). `.rdata` follows `.text`. */
  textBase?: number;
  /** Address of `.data` (default 0x10000000). `.bss` follows `.data`. */
  dataBase?: number;
  /**
   * Resolves `.include "name"`: receives the name as written and the including file's path,
   * returns `{ path, text }` (the path used in diagnostics) or undefined when not found.
   * Without it every `.include` is an error. `src/core` never touches a file system itself.
   */
  include?: (name: string, from: string) => SourceFile | undefined;
  /** Produce the ELF32 file bytes too (default true). */
  elf?: boolean;
  /** Produce the listing (default true; builds that only load the image skip its disassembly). */
  listing?: boolean;
}

export type Severity = 'error' | 'warning';

/**
 * A located message. `line` is 1-based; `col` and `endCol` are 1-based columns of the offending
 * text, `endCol` exclusive (`endCol > col` always). Tabs count as one column.
 */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  endCol: number;
  severity: Severity;
  message: string;
}

/** Where an emitted word or datum came from. Sorted by `addr`; one entry per statement. */
export interface SourceMapEntry {
  addr: number;
  size: number;
  file: string;
  line: number;
}

export type SymbolKind = 'label' | 'equ';

export interface AsmSymbol {
  name: string;
  /** Address for labels, value for `.equ`/`.set` constants (unsigned 32-bit). */
  value: number;
  kind: SymbolKind;
  /** Section of a label: `.text`, `.rdata`, `.data` or `.bss`; absent for constants. */
  section?: SectionName;
  global: boolean;
  file: string;
  line: number;
}

export type SectionName = '.text' | '.rdata' | '.data' | '.bss';

/** A loadable piece of memory. `bytes.length` is the in-memory size (`.bss` is zeros). */
export interface Segment {
  name: SectionName | string;
  vaddr: number;
  bytes: Uint8Array;
  /** Loader view only: read/write/execute flags of the containing program header. */
  flags?: { r: boolean; w: boolean; x: boolean };
}

export interface Image {
  segments: Segment[];
  /** `__start` if defined, else the address of `.text` (what GNU ld does with `-e __start`). */
  entry: number;
  symbols: AsmSymbol[];
  sourceMap: SourceMapEntry[];
}

/** One line of the objdump-like listing: an emitted word (or data chunk) and its source. */
export interface ListingLine {
  addr: number;
  /** Hex of the bytes at `addr` (a word for instructions, up to 4 bytes for data). */
  hex: string;
  /** Disassembly of an instruction word, or `.word`/`.byte` data. */
  text: string;
  file: string;
  line: number;
  /** Labels defined at this address (first line of the address only). */
  labels?: string[];
}

export interface AssembleResult {
  /** true iff no diagnostic has severity `error`. */
  ok: boolean;
  diagnostics: Diagnostic[];
  /** Present when ok. */
  image?: Image;
  /** Present when ok and `opts.elf !== false`. */
  elf?: Uint8Array;
  /** Empty when `opts.listing === false`. */
  listing: ListingLine[];
}
