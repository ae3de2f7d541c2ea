/**
 * `node out/web/server.js [--workspace DIR] [--port N]` — browser mode.
 *
 * Prepares the workspace (default: $DISCO_WORKSPACE, else the desktop app's user-data
 * workspace, seeded from resources/examples on first start), serves out/renderer on
 * 127.0.0.1:PORT (default 5317; 0 = any free port) and prints
 * `Disco Lab web host: http://127.0.0.1:PORT/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultWorkspaceDir, prepareWorkspace, userDataDir, workspaceArg } from '../workspace/location';
import { startWebHost } from './host';

export const DEFAULT_PORT = 5317;
const USAGE = 'usage: node out/web/server.js [--workspace DIR] [--port N]';

/** `--port N` / `--port=N`, else $DISCO_PORT, else DEFAULT_PORT; 0 means any free port. */
function portArg(argv: string[]): number {
  const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
  const v = i < 0 ? (process.env.DISCO_PORT ?? String(DEFAULT_PORT)) : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  const n = v === undefined || v === '' ? NaN : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port: expected 0..65535, got ${v}`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  // out/web/server.js → repository (or app) root two levels up.
  const appRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
  const rendererDir = resolve(appRoot, 'out', 'renderer');
  if (!existsSync(resolve(rendererDir, 'index.html'))) throw new Error(`no built renderer at ${rendererDir}; run: npm run build`);
  const explicit = workspaceArg(argv);
  if (argv.includes('--workspace') && !explicit) throw new Error('--workspace needs a folder');
  const workspace = resolve(explicit ?? defaultWorkspaceDir(userDataDir()));
  await prepareWorkspace(workspace, resolve(appRoot, 'resources', 'examples'));
  const version = (JSON.parse(readFileSync(resolve(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const host = await startWebHost({ workspace, rendererDir, port: portArg(argv), version });
  console.log(`Disco Lab web host: ${host.url}`);
  console.log(`workspace: ${host.manager.current.root}`);
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((e) => {
  console.error(`disco-lab web host: ${e instanceof Error ? e.message : String(e)}`);
  console.error(USAGE);
  process.exit(1);
});
