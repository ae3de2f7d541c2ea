import type { CliIo } from './command';
import { COMMANDS } from './commands/index';

const VERSION = '0.1.0';

function help(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  return [
    'disco-lab — a workbench for studying the Disco virtual machine monitor',
    '',
    'usage: disco-lab <command> [args]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    `  ${'help'.padEnd(w)}  show usage of a command`,
    '',
    'options: --help, --version',
  ].join('\n') + '\n';
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') { io.out(help()); return 0; }
  if (name === '--version' || name === '-v') { io.out(`disco-lab ${VERSION}\n`); return 0; }
  if (name === 'help') {
    const c = COMMANDS.find((x) => x.name === rest[0]);
    io.out(c ? c.usage + '\n' : help());
    return c || !rest[0] ? 0 : 2;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) { io.err(`disco-lab: unknown command '${name}'\n\n${help()}`); return 2; }
  if (rest.includes('--help') || rest.includes('-h')) { io.out(cmd.usage + '\n'); return 0; }
  return cmd.run(rest, io);
}
