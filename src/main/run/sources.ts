/**
 * The hosts' FileSources for the one experiment loader (src/core/experiment/load.ts):
 *
 *   - `workspaceSource`: the confined workspace, workspace-relative `/` paths — the UI's runs
 *     (run manager → worker) and `asm.assemble`'s `.include`s. Nothing outside the workspace is
 *     reachable: `..` above the root and absolute paths are refused, symlinks are confined.
 *   - `fileSystemSource`: plain files for the CLI, paths relative to the working directory (as
 *     the user typed them, so messages show them that way) or absolute.
 *
 * Both read machine presets from Disco Lab's resources/machines (`readMachinePreset`) and the
 * guest OS sources from its resources/guest (`readGuestSources`: app resources, never workspace
 * files), and both word their read errors alike (`programs/a.s does not exist`).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { joinRelative, readIncludes, type FileSource } from '../../core/experiment/load';
import { includeCallback } from '../../core/experiment/run';
import type { SourceFile } from '../../core/asm/types';
import { confine } from '../workspace/confine';
import { fsError } from '../workspace/errors';
import type { Workspace } from '../workspace/workspace';
import { readGuestSources, readMachinePreset, resourcesDir } from '../resources';
import { inputProblem } from '../input';

/** Workspace-relative `/` path join + normalisation; undefined when it climbs above the root. */
export const joinWorkspacePath = joinRelative;

export function workspaceSource(ws: Workspace, resources = resourcesDir()): FileSource {
  return {
    resolve: (from, rel) => joinWorkspacePath(from, rel) ?? { error: 'outside the workspace' },
    readText: async (path) => (await ws.read(path)).content,
    readBytes: async (path) => {
      const r = await confine(ws.root, path);
      const problem = await inputProblem(r.target);
      if (problem) throw new Error(`${r.rel}: ${problem}`);
      try {
        return new Uint8Array(await readFile(r.target));
      } catch (e) {
        throw fsError(e, r.rel);
      }
    },
    readPreset: (name) => readMachinePreset(name, resources),
    readGuestSources: () => readGuestSources(resources),
  };
}

export function fileSystemSource(cwd: string, resources = resourcesDir()): FileSource {
  const read = async <T>(path: string, f: (abs: string) => Promise<T>): Promise<T> => {
    const abs = resolve(cwd, path);
    const problem = await inputProblem(abs);
    if (problem) throw new Error(`${path}: ${problem}`);
    try {
      return await f(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT' ? `${path} does not exist` : code === 'EISDIR' ? `${path} is a folder` : `${path}: cannot read (${code ?? String(e)})`);
    }
  };
  return {
    resolve: (from, rel) => (isAbsolute(rel) ? rel : join(dirname(from), rel)),
    readText: (path) => read(path, (abs) => readFile(abs, 'utf8')),
    readBytes: (path) => read(path, async (abs) => new Uint8Array(await readFile(abs))),
    readPreset: (name) => readMachinePreset(name, resources),
    readGuestSources: () => readGuestSources(resources),
  };
}

/** The assembler's `include` callback for `root`, with its `.include`s read from the workspace. */
export async function gatherIncludes(ws: Workspace, root: SourceFile): Promise<(name: string, from: string) => SourceFile | undefined> {
  return includeCallback(await readIncludes(workspaceSource(ws), root));
}
