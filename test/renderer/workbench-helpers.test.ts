// Pure helpers behind the workbench fixes of issue #12: console-input escapes, the files each
// experiment field offers, the mode the form shows, the topology the diagram draws, tree groups,
// wrapped chart labels, progress against the previous run, the panel layout, the Run dialog's
// guess, error messages that name a file once.
import { describe, expect, it } from 'vitest';
import type { FileNode, MachineParamInfo, RunSummary } from '../../src/shared/api';
import { diskChoices, escapeInput, modeOf, nextProgram, programChoices, unescapeInput } from '../../src/renderer/src/forms/experiment-helpers';
import { topologyColumns, topologyModel } from '../../src/renderer/src/forms/topology';
import { groupExperiments, groupsContaining, parseExperimentName, type GroupNode } from '../../src/renderer/src/tree-groups';
import { MAX_LABEL_LINES, wrapLabel } from '../../src/renderer/src/chart-labels';
import { expectedCycles, progressFraction } from '../../src/renderer/src/state/progress';
import { clampLayout, DEFAULT_LAYOUT, LAYOUT_LIMITS } from '../../src/renderer/src/state/layout';
import { guessKind } from '../../src/renderer/src/templates';
import { describeError, messageAbout } from '../../src/renderer/src/state/log';

const file = (path: string): FileNode => ({ name: path.split('/').pop()!, path, kind: 'file', mtimeMs: 0 });

describe('experiment form helpers', () => {
  it('console input: \\n typed is a newline; stored text shows escaped again', () => {
    expect(unescapeInput('pmake 4\\n')).toBe('pmake 4\n');
    expect(unescapeInput('a\\tb\\\\n\\x41')).toBe('a\tb\\nA');
    for (const s of ['pmake 4\n', 'tab\there', 'back\\slash', '\x01\x7f', 'plain']) expect(unescapeInput(escapeInput(s))).toBe(s);
    expect(escapeInput('ls\n')).toBe('ls\\n');
  });

  it('offers programs (not disk images) for programs, images for the disk, workspace programs first', () => {
    const files = [file('guest/guest.img'), file('guest/kernel-ksseg.elf'), file('programs/b.s'), file('programs/a.s'), file('README.md')];
    expect(programChoices(files, 'experiments/x.json')).toEqual(['../programs/a.s', '../programs/b.s', '../guest/kernel-ksseg.elf']);
    expect(diskChoices(files, 'experiments/x.json')).toEqual(['../guest/guest.img']);
    expect(nextProgram(programChoices(files, 'experiments/x.json'), ['../programs/a.s'])).toBe('../programs/b.s');
    expect(nextProgram(programChoices(files, 'experiments/x.json'), [])).toBe('../programs/a.s');
    expect(nextProgram([], [])).toBe('../programs/hello.s');
  });

  it('shows a mode only when the file has a valid one', () => {
    expect(modeOf({})).toBeUndefined();
    expect(modeOf({ mode: 'nativ' })).toBeUndefined();
    expect(modeOf({ mode: 'disco' })).toBe('disco');
    expect(modeOf({ mode: 'denali' })).toBe('denali');
  });
});

describe('topology diagram model', () => {
  const params = [
    { path: 'nodes', type: 'integer', default: 1, min: 1, max: 32, description: '' },
    { path: 'cpusPerNode', type: 'integer', default: 1, min: 1, max: 32, description: '' },
    { path: 'memoryPerNodeMB', type: 'integer', default: 16, min: 1, max: 496, description: '' },
  ] as MachineParamInfo[];

  it('draws defaults for absent values (a new machine is not "0 MiB")', () => {
    const m = topologyModel({ name: 'x' }, params, []);
    expect(m).toMatchObject({ nodes: 1, cpusPerNode: 1, memoryPerNodeMB: 16, localNs: 300, remoteNs: 900 });
    expect(m.defaulted).toEqual(['nodes', 'cpusPerNode', 'memoryPerNodeMB', 'latency.localNs', 'latency.remoteNs']);
  });

  it('never draws a value the form marks invalid: the last drawn value (or the default) instead', () => {
    expect(topologyModel({ nodes: 0 }, params, [{ path: 'nodes', message: 'must be ≥ 1' }], { nodes: 8 })).toMatchObject({ nodes: 8, notDrawn: ['nodes'] });
    expect(topologyModel({ nodes: 'abc' }, params, [])).toMatchObject({ nodes: 1, notDrawn: ['nodes'] });
    expect(topologyModel({ memoryPerNodeMB: -3 }, params, [])).toMatchObject({ memoryPerNodeMB: 16, notDrawn: ['memoryPerNodeMB'] });
    expect(topologyModel({ nodes: 4, memoryPerNodeMB: 64 }, params, [{ path: 'memoryPerNodeMB', message: 'total too large' }], { memoryPerNodeMB: 32 })).toMatchObject({ nodes: 4, memoryPerNodeMB: 32 });
    expect(topologyModel({ distance: [[10, 20], [20, 10]] }, params, []).distance).toEqual([10, 20]);
    expect(topologyModel({ distance: [[10, 20], [20, 10]] }, params, [{ path: 'distance[0][1]', message: 'x' }]).distance).toBeUndefined();
  });

  it('wraps boxes into the columns that fit instead of shrinking them', () => {
    expect(topologyColumns(8, 270, 150, 24, 12)).toBe(1);
    expect(topologyColumns(8, 254, 100, 16, 12)).toBe(2); // the narrow boxes of a side panel
    expect(topologyColumns(8, 700, 150, 24, 12)).toBe(4);
    expect(topologyColumns(2, 2000, 150, 24, 12)).toBe(2);
  });
});

describe('file tree groups', () => {
  const names = ['pmake-native-1cpu.json', 'pmake-native-4cpu.json', 'pmake-disco-1cpu-1vm.json', 'pmake-disco-1cpu-1vm-hal.json', 'pmake-disco-1cpu-1vm-nol2.json', 'raytrace-native-1cpu.json', 'raytrace-disco-1cpu-2vm.json', 'bare-hello.json', 'mytest-native.json', 'mytest-disco.json', 'solo-native.json'];
  const kids = names.map((n) => file(`experiments/${n}`));
  it('parses experiment names', () => {
    expect(parseExperimentName('pmake-disco-1cpu-1vm-hal.json')).toEqual({ workload: 'pmake', mode: 'disco', config: '1cpu-1vm', variant: 'hal' });
    expect(parseExperimentName('mytest-bare.json')).toEqual({ workload: 'mytest', mode: 'bare', config: '', variant: '' });
    expect(parseExperimentName('bare-hello.json')).toBeUndefined();
  });

  it('groups by workload, then native / Disco, with variants together; single files stay ungrouped', () => {
    const g = groupExperiments('experiments', kids);
    expect(g.map((n) => n.name)).toEqual(['mytest', 'pmake', 'raytrace', 'bare-hello.json', 'solo-native.json']);
    const pmake = g[1] as GroupNode;
    expect(pmake.count).toBe(5);
    expect(pmake.children.map((n) => n.name)).toEqual(['native', 'Disco']);
    const disco = pmake.children[1] as GroupNode;
    expect(disco.children.map((n) => n.name)).toEqual(['pmake-disco-1cpu-1vm.json', 'variants: hal, nol2']);
    expect(groupsContaining(g, 'experiments/pmake-disco-1cpu-1vm-hal.json')).toEqual(['experiments/#pmake', 'experiments/#pmake/#disco', 'experiments/#pmake/#disco/#variants']);
    expect(groupsContaining(g, 'experiments/bare-hello.json')).toEqual([]);
    // One file per mode: directly under the workload.
    expect((g[0] as GroupNode).children.map((n) => n.name)).toEqual(['mytest-native.json', 'mytest-disco.json']);
    expect((g[2] as GroupNode).children.map((n) => n.name)).toEqual(['raytrace-native-1cpu.json', 'raytrace-disco-1cpu-2vm.json']);
    expect(groupsContaining(g, 'experiments/nope.json')).toBeUndefined();
  });
});

describe('chart labels, progress, layout, run guess, messages', () => {
  it('wraps labels to their band, at most three lines, the last with an ellipsis', () => {
    expect(wrapLabel('short', 20)).toEqual(['short']);
    expect(wrapLabel('pmake-disco-1cpu-2vm 21:41:21', 14)).toEqual(['pmake-disco-', '1cpu-2vm', '21:41:21']);
    const long = wrapLabel('the-fifth-experiment-with-a-very-long-name-indeed 12:00:00 (baseline)', 12);
    expect(long).toHaveLength(MAX_LABEL_LINES);
    expect(long[2].endsWith('…')).toBe(true);
    for (const l of long) expect(l.length).toBeLessThanOrEqual(12);
  });

  it('measures progress against the previous complete run of the same experiment', () => {
    const r = (name: string, cycles: number, partial = false) => ({ name, cycles, partial }) as RunSummary;
    const records = [r('a', 500, true), r('b', 100), r('a', 1000), r('a', 2000)];
    expect(expectedCycles('a', records)).toBe(1000);
    expect(expectedCycles('c', records)).toBeUndefined();
    expect(progressFraction(250, 1000)).toBe(0.25);
    expect(progressFraction(5000, 1000)).toBe(0.99);
    expect(progressFraction(250, undefined)).toBeUndefined();
  });

  it('clamps panel sizes and keeps the defaults for bad input', () => {
    expect(clampLayout({})).toEqual(DEFAULT_LAYOUT);
    expect(clampLayout({ files: 10, config: 9999, results: Number.NaN, resultsHidden: true })).toEqual({ files: LAYOUT_LIMITS.files[0], config: LAYOUT_LIMITS.config[1], results: DEFAULT_LAYOUT.results, resultsHidden: true });
  });

  it('guesses how to run a program from its text', () => {
    expect(guessKind('  li $v0, 4004\n  syscall\n')).toBe('guest-disco');
    expect(guessKind('  mtc0 $t0, $12\n  lui $s0, 0xbf00\n')).toBe('bare');
    expect(guessKind('# syscall in a comment only\n  lui $s0, 0xbf00\n')).toBe('bare');
  });

  it('names the file once in a message about it', () => {
    const e = { code: 'E_INVALID_INPUT', message: 'experiments/x.json: invalid JSON: Unexpected end' };
    expect(describeError(e)).toBe('E_INVALID_INPUT: experiments/x.json: invalid JSON: Unexpected end');
    expect(messageAbout('experiments/x.json', e)).toBe('E_INVALID_INPUT: invalid JSON: Unexpected end');
    expect(messageAbout('experiments/x.json', { code: 'E_NOT_FOUND', message: 'experiments/x.json does not exist' })).toBe('E_NOT_FOUND: does not exist');
    expect(messageAbout('experiments/x.json', { code: 'E_IO', message: 'disk full' })).toBe('E_IO: disk full');
  });
});
