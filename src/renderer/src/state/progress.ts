/**
 * How far a run is (pure, unit-tested): against the previous complete run of the same experiment
 * (its record's cycles) — a fraction in [0, 0.99] while running — or undefined when there is no
 * previous run: the bar is then indeterminate and the live figures tell the story. A cycle limit
 * (often 10⁹) says nothing about when a program ends, so it is never the measure.
 */
import type { RunSummary } from '../../../shared/api';

/** Cycles of the newest complete (not partial) record of the experiment `name`, among `records` (newest first). */
export function expectedCycles(name: string, records: readonly RunSummary[]): number | undefined {
  return records.find((r) => r.name === name && !r.partial && r.cycles > 0)?.cycles;
}

export function progressFraction(cycles: number, expected: number | undefined): number | undefined {
  return expected ? Math.min(0.99, cycles / expected) : undefined;
}
