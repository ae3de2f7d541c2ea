// Entry point of the `disco-lab` CLI (bundled to out/cli/index.mjs by scripts/build-cli.mjs).
import { runCli } from './main';

runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
}).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`disco-lab: internal error: ${e instanceof Error ? e.stack : String(e)}\n`); process.exitCode = 70; },
);
