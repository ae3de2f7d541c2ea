import type { CliCommand } from '../command';

/** Every sub-command of `disco-lab`, in the order `--help` lists them. */
export const COMMANDS: CliCommand[] = [];
