import type { CliIo } from './command';
import { COMMANDS } from './commands/index';
import { fsReason } from '../input';

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

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code: 0 ok, 1 bad input
 * (a message, never a stack trace), 2 usage error. It rejects only for a bug (exit 70).
 */
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
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    const user = userError(e);
    if (user === undefined) throw e; // a bug: the entry point prints the stack and exits 70
    io.err(`disco-lab ${name}: error: ${user}\n`);
    return 1;
  }
}

/**
 * The message for an exception a command let escape that is the environment's or the input's
 * fault, not a bug: a file-system error (`EISDIR`, `EACCES`, ... from a path the user gave) or an
 * input too large for memory. Undefined for anything else (a bug → exit 70 with a stack trace).
 * Commands should report such cases themselves (see ./input.ts); this is the safety net.
 */
export function userError(e: unknown): string | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const { code, syscall, path } = e as { code?: unknown; syscall?: unknown; path?: unknown };
  if (typeof code === 'string' && typeof syscall === 'string') return `${typeof path === 'string' ? `${path}: ` : ''}${fsReason(e)}`;
  if (code === 'ERR_FS_FILE_TOO_LARGE' || code === 'ERR_STRING_TOO_LONG') return 'input too large';
  if (e instanceof RangeError && /Array buffer allocation failed|Invalid string length|Invalid typed array length/.test(e.message)) return `input too large (${e.message})`;
  return undefined;
}
