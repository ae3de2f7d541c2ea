// Entry point of the `disco-lab` CLI (bundled to out/cli/index.mjs by scripts/build-cli.mjs).
// Exit codes: 0 ok, 1 bad input (a message), 2 usage, 70 a bug in disco-lab (with its stack).
import { readSync } from 'node:fs';
import { runCli } from './main';

// `disco-lab disasm big.elf | head`: the reader went away; that is the end of the output, not an error.
for (const s of [process.stdout, process.stderr]) {
  s.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/** Standard input to its end (at most `max` bytes), or nothing when it is a terminal. */
function readStdin(max = 1 << 20): Uint8Array {
  if (process.stdin.isTTY) return new Uint8Array(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try { n = readSync(0, buf, 0, buf.length, null); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // a non-blocking pipe: wait a moment for data; anything else ends the input
      if (code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); continue; }
      break;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    total += n;
    if (total > max) break;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  outBytes: (b) => process.stdout.write(b),
  stdin: () => readStdin(),
  cwd: process.cwd(),
}).then(
  (code) => { process.exitCode = code; },
  (e) => {
    process.stderr.write(`disco-lab: internal error (a bug in disco-lab; please report it): ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 70;
  },
);
