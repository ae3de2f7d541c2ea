#!/usr/bin/env node
// `disco-lab` launcher: runs the built CLI (npm run build), or the TypeScript sources through tsx
// when no build exists yet (development checkouts).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out/cli/index.mjs');
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const tsx = join(root, 'node_modules/.bin/tsx');
  const r = spawnSync(tsx, [join(root, 'src/main/cli/index.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
