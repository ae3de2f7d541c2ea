/**
 * Reading files a user names (CLI inputs; the programs, kernels and disk images an experiment
 * names, through the loader's FileSources in run/sources.ts) safely: only regular files, at most
 * {@link MAX_INPUT_BYTES}, and every failure a one-line message for the user (`path: error:
 * reason`, exit 1) instead of an exception. A directory, `/dev/zero`, a FIFO or a 10 GB file
 * is refused before anything is read — `readFileSync` would read a character device until memory
 * runs out and block on a FIFO forever.
 *
 * Every user-named file the host reads goes through here.
 */
import { constants, closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Largest input file a CLI command reads [bytes]: 64 MiB (the largest real inputs are < 1 MiB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export type InputResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** `errno` codes of the file system, as a user reads them. */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file (a parent is not a folder)',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
  EAGAIN: 'not ready for reading',
};

/** A user-facing reason for a file-system error (`is a directory`, `permission denied`, ...). */
export function fsReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return REASONS[code] ?? `cannot read (${code})`;
  return `cannot read (${e instanceof Error ? e.message : String(e)})`;
}

/** What kind of non-regular file `st` is, for the message. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'is a directory';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device, not a regular file';
  if (st.isFIFO()) return 'is a pipe, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/**
 * Reads the regular file at `abs` (shown to the user as `shown`): at most `maxBytes`
 * (default {@link MAX_INPUT_BYTES}). Never throws for anything the file system or the user did.
 */
export function readInputFile(abs: string, shown = abs, maxBytes = MAX_INPUT_BYTES): InputResult<Uint8Array> {
  const bad = (reason: string): InputResult<Uint8Array> => ({ ok: false, message: `${shown}: error: ${reason}` });
  let st: Stats;
  try { st = statSync(abs); } catch (e) { return bad(fsReason(e)); }
  // Checked before open: opening a FIFO for reading would block until a writer appears.
  if (!st.isFile()) return bad(kindOf(st));
  if (st.size > maxBytes) return bad(`larger than ${maxBytes >> 20} MiB (${st.size} bytes); not a plausible input`);
  let fd: number;
  try { fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)); } catch (e) { return bad(fsReason(e)); }
  try {
    const st2 = fstatSync(fd); // the file we opened, not what the path named a moment ago
    if (!st2.isFile()) return bad(kindOf(st2));
    // Read what is there, up to the limit (+1 byte to notice a file that grew past it).
    const buf = new Uint8Array(Math.min(st2.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const k = readSync(fd, buf, n, buf.length - n, null);
      if (k === 0) break;
      n += k;
      if (n === buf.length) {
        if (n > maxBytes) return bad(`larger than ${maxBytes >> 20} MiB; not a plausible input`);
        break; // grew while being read, still within the limit: keep what was read
      }
    }
    return { ok: true, value: buf.subarray(0, n) };
  } catch (e) {
    return bad(fsReason(e));
  } finally {
    closeSync(fd);
  }
}

/** {@link readInputFile}, decoded as UTF-8 text. */
export function readInputText(abs: string, shown = abs, maxBytes = MAX_INPUT_BYTES): InputResult<string> {
  const r = readInputFile(abs, shown, maxBytes);
  return r.ok ? { ok: true, value: new TextDecoder('utf-8').decode(r.value) } : r;
}

/**
 * Why the file at `abs` must not be read as an input (a directory, device, pipe, or over
 * `maxBytes`), or undefined when it is a regular file of a plausible size. Asynchronous, for
 * hosts that must not block their event loop; a missing file is left to the read that follows.
 */
export async function inputProblem(abs: string, maxBytes = MAX_INPUT_BYTES): Promise<string | undefined> {
  let st: Stats;
  try { st = await stat(abs); } catch { return undefined; }
  if (!st.isFile()) return kindOf(st);
  if (st.size > maxBytes) return `larger than ${maxBytes >> 20} MiB (${st.size} bytes); not a plausible input`;
  return undefined;
}
