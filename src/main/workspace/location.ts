/**
 * Where the default workspace lives, and how a workspace folder is prepared.
 *
 * Default: `$DISCO_WORKSPACE`, else `<user data>/workspace`, where the user-data folder mirrors
 * Electron's `app.getPath('userData')` for an app named `disco-lab`:
 *   Linux `$XDG_CONFIG_HOME/disco-lab` (default `~/.config/disco-lab`),
 *   macOS `~/Library/Application Support/disco-lab`, Windows `%APPDATA%\disco-lab`.
 * The desktop app and the web host therefore open the same workspace by default.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { WORKSPACE_FOLDERS } from '../../shared/api/types';

export const APP_DIR_NAME = 'disco-lab';

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_DIR_NAME);
}

/** `--workspace DIR` wins, then `$DISCO_WORKSPACE`, then `<userData>/workspace`. */
export function defaultWorkspaceDir(userData: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.DISCO_WORKSPACE || join(userData, 'workspace');
}

/** Parses `--workspace DIR` / `--workspace=DIR` from argv; undefined when absent. */
export function workspaceArg(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--workspace') return argv[i + 1];
    if (argv[i].startsWith('--workspace=')) return argv[i].slice('--workspace='.length);
  }
  return undefined;
}

/**
 * Makes `dir` a workspace: creates it and the conventional folders if missing. When the folder
 * did not exist or was empty (a first start) and `examplesDir` exists, copies the examples in —
 * missing files only, never overwriting. Returns whether it seeded.
 */
export async function prepareWorkspace(dir: string, examplesDir?: string): Promise<boolean> {
  const fresh = !existsSync(dir) || (await readdir(dir)).length === 0;
  await mkdir(dir, { recursive: true });
  for (const f of WORKSPACE_FOLDERS) await mkdir(join(dir, f), { recursive: true });
  if (!fresh || !examplesDir || !existsSync(examplesDir)) return false;
  await copyMissing(examplesDir, dir);
  return true;
}

/** Copies files from `src` to `dst` recursively, skipping any that already exist. */
export async function copyMissing(src: string, dst: string): Promise<void> {
  await mkdir(dst, { recursive: true });
  for (const e of await readdir(src, { withFileTypes: true })) {
    const s = join(src, e.name);
    const d = join(dst, e.name);
    if (e.isDirectory()) await copyMissing(s, d);
    else if (e.isFile() && !(await stat(d).then(() => true, () => false))) await copyFile(s, d);
  }
}
