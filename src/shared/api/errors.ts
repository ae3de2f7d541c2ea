/**
 * Errors that cross the API boundary (IPC or WebSocket).
 *
 * Every failed call — a bad argument, a refused path, a missing file, a bug in the service —
 * reaches the caller as a plain, structured-clone-safe object `{ code, message }` (an
 * {@link ApiError}); it never crashes the host process and never leaks a stack trace.
 * Clients reject their promise with exactly this object, so callers write
 *
 *     try { await api.workspace.read(p) } catch (e) { if (isApiError(e) && e.code === 'E_NOT_FOUND') … }
 */

/** The closed set of error codes. Add a code here (with its doc line) before using it. */
export const ERROR_CODES = {
  /** An argument failed the method's input schema (wrong type, too long, missing). */
  E_INVALID_INPUT: 'an argument failed validation',
  /** The method name is not part of the contract. */
  E_UNKNOWN_METHOD: 'no such API method',
  /** A path is absolute, contains `..` or NUL, or resolves (through a symlink) outside the workspace. */
  E_PATH_ESCAPE: 'the path leaves the workspace',
  /** The file or folder does not exist. */
  E_NOT_FOUND: 'no such file or folder',
  /** The target of a create or rename already exists. */
  E_EXISTS: 'the target already exists',
  /** A file was expected but the path is a folder (or something else). */
  E_NOT_FILE: 'not a regular file',
  /** A folder was expected but the path is a file. */
  E_NOT_DIRECTORY: 'not a folder',
  /** A folder that is not empty was deleted without `recursive`. */
  E_NOT_EMPTY: 'the folder is not empty',
  /** Content or a file exceeds the size limit of the method. */
  E_TOO_LARGE: 'too large',
  /** The operating system refused an operation (permissions, disk full, ...). */
  E_IO: 'input/output error',
  /** This host cannot do that (e.g. a native folder dialog in browser mode). */
  E_UNSUPPORTED: 'not supported by this host',
  /** The user cancelled a dialog. */
  E_CANCELLED: 'cancelled',
  /** The transport to the host is closed (browser mode: the WebSocket dropped). */
  E_DISCONNECTED: 'not connected to the host',
  /** Too many runs at once: wait for one to finish (runs.start). */
  E_BUSY: 'the host is busy',
  /** No such run (runs.stop with an unknown or finished run id). */
  E_NO_RUN: 'no such run',
  /** No such debug session (debug.* with an unknown or ended session id). */
  E_NO_SESSION: 'no such debug session',
  /**
   * The debugger refused a request: no such thread or VM, an address not mapped, no code at that
   * line, the run has ended, no snapshot for that point, no TLB miss to trace, the session is
   * running. The message starts with the debugger's own code (`E_BAD_ADDRESS: …`, docs/debugging.md).
   */
  E_DEBUG: 'the debugger refused the request',
  /** A bug in the host; the message is generic, the details go to the host's log. */
  E_INTERNAL: 'internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The wire form of every failure. */
export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** The wire form of every reply: a value or an {@link ApiError}. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiError };

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, x);
}

export function isApiError(x: unknown): x is ApiError {
  return typeof x === 'object' && x !== null && isErrorCode((x as ApiError).code) && typeof (x as ApiError).message === 'string';
}

/**
 * Thrown inside a service implementation to fail a call with a specific code. The binder turns
 * it into an {@link ApiError}; any other exception becomes `E_INTERNAL`.
 */
export class ApiException extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string = ERROR_CODES[code]) {
    super(message);
    this.name = 'ApiException';
    this.code = code;
  }
  toJSON(): ApiError {
    return { code: this.code, message: this.message };
  }
}

/** Shorthand: `throw fail('E_NOT_FOUND', 'programs/x.s does not exist')`. */
export function fail(code: ErrorCode, message?: string): ApiException {
  return new ApiException(code, message);
}
