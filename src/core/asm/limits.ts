/**
 * The assembler's resource limits. Every input — however recursive, exponential or large —
 * either assembles or stops at one of these with a located error, in time and memory linear in
 * the size of the input (docs/assembler.md § Limits has the table and the reasons).
 *
 * GNU as has the first one (`--max-macro-nest`, default 100); it has no budget for the total
 * expansion and simply runs until memory is exhausted, so the expansion budgets are ours. They
 * are far above what real programs use (the guest kernel is ~2,300 statements; the guest
 * programs' macros and includes produce a few hundred lines) and low enough that an input
 * hitting one stops in well under a second.
 */
import { MAX_RAM_MB } from '../machine/config/params';

/** Macro invocations nested inside macro expansions (gas: `--max-macro-nest`, default 100). */
export const MAX_MACRO_NEST = 100;

/** `.include` nesting (a file including itself stops here). */
export const MAX_INCLUDE_DEPTH = 32;

/**
 * Lines produced by macro expansion and `.include` in one `assemble` call, in total (input
 * files given directly are not counted). Stops exponential fan-out: a macro that invokes
 * another twice, 40 levels deep, or a file that includes itself twice.
 */
export const MAX_EXPANDED_LINES = 100_000;

/**
 * Characters produced by macro expansion and `.include` in one `assemble` call, in total (the
 * size of the largest workspace file). Stops arguments that double at every level
 * (`.macro m a` / `m \a\a`).
 */
export const MAX_EXPANDED_CHARS = 8 * 1024 * 1024;

/**
 * Size of the linked program, all sections together (`.bss` included) [bytes]: the largest
 * machine memory (MAX_RAM_MB). A bigger program could never be loaded.
 */
export const MAX_IMAGE_BYTES = MAX_RAM_MB * 1024 * 1024;

/** Integer literals: at most 64 bits (the width expressions are evaluated in). */
export const MAX_NUMBER_BITS = 64;
