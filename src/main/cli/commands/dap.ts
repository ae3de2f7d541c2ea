/**
 * `disco-lab dap`: serves the Debug Adapter Protocol on standard input and output
 * (src/main/dap/adapter.ts; docs/debugging.md). An editor such as VS Code starts it and speaks
 * to it; nothing else may write to standard output meanwhile.
 */
import { serveDap } from '../../dap/adapter';
import type { CliCommand, CliIo } from '../command';

const USAGE = `usage: disco-lab dap

Serves the Debug Adapter Protocol on standard input and output, for editors (VS Code: see
docs/debugging.md). Launch arguments: { "program": "X.s", "mode": "native" | "disco" } — a user
program on the guest OS, as run-guest runs it (also "cpus", "vms", "vcpus", "model") — or
{ "experiment": "X.json" }; both take "cwd", "stopOnEntry" and "snapshotEvery" (cycles between
the snapshots that stepBack restores; default 5000000, 0 = off).`;

export const dapCommand: CliCommand = {
  name: 'dap',
  summary: 'serve the Debug Adapter Protocol on stdin/stdout (breakpoints, stepping, registers, memory)',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    if (args.length) { io.err(`dap: unexpected argument '${args[0]}'\n${USAGE}\n`); return 2; }
    const code = await serveDap(process.stdin, process.stdout, io.cwd);
    process.stdin.destroy();   // the client disconnected: let the process end
    return code;
  },
};
