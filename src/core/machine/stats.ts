/**
 * Statistics as named objects with descriptions (gem5's `ADD_STAT`, Ripes' telemetry keys). The
 * run record carries the table of every stat it reports so that the UI and readers know what
 * each number means without reading code.
 */
export interface StatSpec {
  /** Dotted name as it appears in the run record (e.g. `cache.remoteMisses`). */
  readonly name: string;
  readonly description: string;
  readonly unit: string;
}
