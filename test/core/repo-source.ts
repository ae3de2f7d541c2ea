// The experiment loader's FileSource over this repository's files, for tests that load shipped
// (or made-up) experiments as the CLI does: the guest OS sources and the machine presets from
// resources/, everything else from disk.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { FileSource } from '../../src/core/experiment/load';
import { readGuestSources } from '../../src/main/resources';

export const ROOT = join(__dirname, '..', '..');
export const EXPERIMENTS = join(ROOT, 'resources', 'examples', 'experiments');

/**
 * `texts`: files given by path instead of read (an experiment made up by the test); `edit`
 * changes every experiment read from resources/examples/experiments (its CPU model, its machine).
 */
export function repoSource(opts: { texts?: Readonly<Record<string, string>>; edit?: (e: Record<string, unknown>) => void } = {}): FileSource {
  return {
    resolve: (from, rel) => (isAbsolute(rel) ? rel : join(dirname(from), rel)),
    readText: async (path) => {
      const given = opts.texts?.[path];
      if (given !== undefined) return given;
      const text = await readFile(path, 'utf8');
      if (!opts.edit || !path.startsWith(EXPERIMENTS)) return text;
      const e = JSON.parse(text);
      opts.edit(e);
      return JSON.stringify(e);
    },
    readBytes: async (path) => new Uint8Array(await readFile(path)),
    readGuestSources: () => readGuestSources(join(ROOT, 'resources')),
    readPreset: async (name) => {
      const file = join(ROOT, 'resources', 'machines', `${name}.json`);
      return { file, text: await readFile(file, 'utf8') };
    },
  };
}
