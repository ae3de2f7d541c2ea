// The object-graph capture keeps null and undefined apart in arrays: the Disco scheduler's
// `cur` (a vCPU or null per CPU) read back as undefined after a restore taken while a CPU idled,
// and the next monitor entry crashed (found by stepping back in the Debug view).
import { describe, expect, it } from 'vitest';
import { applyGraph, captureGraph } from '../../../src/core/snapshot/graph';

describe('captureGraph / applyGraph', () => {
  it('arrays keep null, undefined and holes as they were', () => {
    const a = { cur: [null, 1, undefined, { x: null }] as unknown[] };
    const g = JSON.parse(JSON.stringify(captureGraph(a, new Map())));
    const b = { cur: [5, 6, 7, { x: 8 }] as unknown[] };
    applyGraph(b, g, new Map());
    expect(b.cur).toEqual([null, 1, undefined, { x: null }]);
    expect(b.cur[0]).toBeNull();
    expect(2 in b.cur && b.cur[2] === undefined).toBe(true);
  });
});
