/**
 * One `disco-lab` sub-command. Each lives in its own file under `commands/` and is listed in
 * `commands/index.ts`. `run` receives the arguments after the command name and returns the
 * process exit code (0 ok, 1 user error such as bad input, 2 usage error). Commands print
 * user errors as `file:line:col: error: message` where a source location exists.
 */
export interface CliCommand {
  name: string;
  /** One line for `disco-lab --help`. */
  summary: string;
  /** Full usage text for `disco-lab help NAME` and usage errors. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Where a command writes; tests pass buffers, the real CLI passes process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Bytes for standard output as they are (a guest program's output need not be UTF-8); else `out` of their UTF-8 decoding. */
  outBytes?(bytes: Uint8Array): void;
  /** All of standard input, or empty when it is a terminal (absent: no input, e.g. in tests). */
  stdin?(): Uint8Array;
  /** Working directory for relative paths. */
  cwd: string;
}
