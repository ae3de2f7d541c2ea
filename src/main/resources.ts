/**
 * Where Disco Lab's own `resources/` folder is (machine presets, examples, guest sources):
 * `$DISCO_LAB_RESOURCES`, else found upwards from this module — which works from the sources
 * (tsx, tests) and from every bundle (out/cli, out/main, out/web, out/run).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export function resourcesDir(): string | undefined {
  if (process.env.DISCO_LAB_RESOURCES) return process.env.DISCO_LAB_RESOURCES;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'resources', 'machines'))) return join(dir, 'resources');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/**
 * A machine preset by name (`resources/machines/NAME.json`): its file and text, or undefined
 * when `name` is not a plain file stem or there is no such preset. The `readPreset` of every
 * host's experiment FileSource (src/main/run/sources.ts).
 */
export async function readMachinePreset(name: string, resources = resourcesDir()): Promise<{ file: string; text: string } | undefined> {
  if (!resources || !/^[\w.-]+$/.test(name) || /^\.+$/.test(name)) return undefined;
  const file = join(resources, 'machines', `${name}.json`);
  try {
    return { file, text: await readFile(file, 'utf8') };
  } catch {
    return undefined;
  }
}

/**
 * The guest OS sources (`resources/guest`): every `.s` file by its `/`-separated path relative
 * to that folder, and the folder itself; undefined when there is no such folder. The
 * `readGuestSources` of every host's experiment FileSource: experiments with `guest` build the
 * kernel and the disk image from these at run time (src/core/guest/build.ts).
 */
export async function readGuestSources(resources = resourcesDir()): Promise<{ dir: string; files: Record<string, string> } | undefined> {
  if (!resources) return undefined;
  const dir = join(resources, 'guest');
  const walk = async (d: string): Promise<string[]> => {
    const entries = await readdir(d, { withFileTypes: true });
    const out: string[] = [];
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.isDirectory()) out.push(...(await walk(join(d, e.name))));
      else if (e.isFile() && e.name.endsWith('.s')) out.push(join(d, e.name));
    }
    return out;
  };
  let paths: string[];
  try { paths = await walk(dir); } catch { return undefined; }
  const files: Record<string, string> = {};
  for (const p of paths) files[relative(dir, p).split(sep).join('/')] = await readFile(p, 'utf8');
  return { dir, files };
}
