// Entry point of the `disco-lab` CLI (bundled to out/cli/index.mjs by scripts/build-cli.mjs).
// Exit codes: 0 ok, 1 bad input (a message), 2 usage, 70 a bug in disco-lab (with its stack).
import { runCli } from './main';

// `disco-lab disasm big.elf | head`: the reader went away; that is the end of the output, not an error.
for (const s of [process.stdout, process.stderr]) {
  s.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
}).then(
  (code) => { process.exitCode = code; },
  (e) => {
    process.stderr.write(`disco-lab: internal error (a bug in disco-lab; please report it): ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 70;
  },
);
