#!/usr/bin/env node
// `npm test`: every check the project has, in order, then one closing line
// `tests: N passed, M failed` (vitest + Playwright test counts; failed steps count as failures).
//
//   1. ensure the independent references and Chromium exist (installs Debian packages as root)
//   2. type-check (one config per layer)      3. layer check
//   4. unit + differential tests (vitest)     5. production build (desktop app, web host, CLI)
//   6. e2e specs in browser mode (Playwright + Debian Chromium)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureTools } from './ensure-tools.mjs';

const tmp = '.tmp';
mkdirSync(tmp, { recursive: true });
let passed = 0;
let failed = 0;
const failedSteps = [];

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  if (!ok) failedSteps.push(name);
  return ok;
}

const missing = ensureTools();
if (missing.length) { failedSteps.push(`tools (${missing.join(', ')})`); failed++; }

if (!step('typecheck', 'npm', ['run', '-s', 'typecheck'])) failed++;
if (!step('layers', 'node', ['scripts/check-layers.mjs'])) failed++;

rmSync(`${tmp}/vitest.json`, { force: true });
const unitOk = step('unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${tmp}/vitest.json`]);
if (existsSync(`${tmp}/vitest.json`)) {
  const r = JSON.parse(readFileSync(`${tmp}/vitest.json`, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  if (!unitOk && !r.numFailedTests) failed++;
} else if (!unitOk) failed++;

const buildOk = step('build', 'npm', ['run', '-s', 'build']);
if (!buildOk) failed++;

if (buildOk) {
  rmSync(`${tmp}/e2e.json`, { force: true });
  const e2eOk = step('e2e', 'node', ['scripts/run-e2e.mjs'], { PLAYWRIGHT_JSON_OUTPUT_NAME: `${tmp}/e2e.json` });
  if (existsSync(`${tmp}/e2e.json`)) {
    const s = JSON.parse(readFileSync(`${tmp}/e2e.json`, 'utf8')).stats ?? {};
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
    if (!e2eOk && !s.unexpected) failed++;
  } else if (!e2eOk) failed++;
}

if (failedSteps.length) console.log(`\nfailed steps: ${failedSteps.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps.length || failed ? 1 : 0);
