import type { CliCommand } from '../command';
import { asmCommand } from './asm';
import { disasmCommand } from './disasm';
import { runUserCommand } from './run-user';
import { runGuestCommand } from './run-guest';
import { runCommand } from './run';
import { figure5Command } from './figure5';
import { labCommand } from './lab';
import { dapCommand } from './dap';

/** Every sub-command of `disco-lab`, in the order `--help` lists them. */
export const COMMANDS: CliCommand[] = [asmCommand, disasmCommand, runUserCommand, runGuestCommand, runCommand, labCommand, figure5Command, dapCommand];
