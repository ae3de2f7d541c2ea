/**
 * Where Disco Lab's own `resources/` folder is (machine presets, examples, guest sources):
 * `$DISCO_LAB_RESOURCES`, else found upwards from this module — which works from the sources
 * (tsx, tests) and from every bundle (out/cli, out/main, out/web, out/run).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
