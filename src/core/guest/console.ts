/**
 * Reading a guest OS console: which bytes the processes wrote and which the kernel printed.
 *
 * The kernel prints its boot lines (banner, `fs: N files`, `init: <command line>`) before any
 * process runs, and at the end `init exited with status S; … output=N`, where N counts the bytes
 * processes wrote to the console. Its messages start on a line of their own (a newline is
 * inserted when a process's output did not end with one), so the program's output is exactly the
 * N bytes after the `init:` line whenever no kernel message came in between — which only a
 * killed child, a child that is not an executable, or a panic prints. `disco-lab run-guest`
 * prints these N bytes on standard output and the rest on standard error.
 */

export interface GuestConsole {
  /** The kernel's boot lines (up to and including the `init:` line). */
  boot: Uint8Array;
  /** What the processes wrote (all of it when `exact`, else the best guess). */
  output: Uint8Array;
  /** The kernel's messages after the output (`killed pid 1 …`, `init exited …`, a panic). */
  tail: Uint8Array;
  /** True when the kernel's byte count confirms `output`. */
  exact: boolean;
  /** The status from `init exited with status S` (undefined when init never exited). */
  status?: number;
  /** The exception name when the kernel killed init (`killed pid 1 (name): AdEL at …`). */
  killedBy?: string;
}

const latin1 = (b: ArrayLike<number>): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...Array.prototype.slice.call(b, i, i + 8192) as number[]);
  return s;
};

/** Where `needle` starts a line (offset 0 or after '\n'), first at or after `from`, or −1. */
function firstLine(s: string, needle: string, from: number): number {
  for (let i = s.indexOf(needle, from); i >= 0; i = s.indexOf(needle, i + 1)) if (i === 0 || s[i - 1] === '\n') return i;
  return -1;
}

/** Where `needle` starts a line, last at or after `from`, or −1. */
function lastLine(s: string, needle: string, from: number): number {
  for (let i = s.lastIndexOf(needle); i >= from; i = i > 0 ? s.lastIndexOf(needle, i - 1) : -1) if (i === 0 || s[i - 1] === '\n') return i;
  return -1;
}

/** Splits a guest console (its raw bytes) into the kernel's boot lines, the processes' output and the kernel's tail. */
export function splitGuestConsole(bytes: ArrayLike<number>): GuestConsole {
  const u8 = Uint8Array.from(bytes);
  const s = latin1(u8);
  const init = firstLine(s, 'init: ', 0);
  const start = init < 0 ? 0 : (s.indexOf('\n', init) + 1 || s.length);
  const exit = lastLine(s, 'init exited with status ', start);
  let end = -1, exact = false, status: number | undefined;
  if (exit >= 0) {
    const line = s.slice(exit, (s.indexOf('\n', exit) + 1 || s.length));
    const m = /^init exited with status (-?\d+);.* output=(\d+)/.exec(line);
    if (m) {
      status = Number(m[1]);
      const n = Number(m[2]);
      if (start + n <= exit) { end = start + n; exact = true; }
    }
  }
  if (end < 0) {
    // no (usable) count: everything up to the kernel's first closing message (the exit line, a
    // kill report of init, a panic); a newline the kernel put before it stays in the output
    const cut = [exit, lastLine(s, 'killed pid 1 (', start), firstLine(s, 'PANIC: ', start)].filter((i) => i >= 0);
    end = cut.length ? Math.min(...cut) : s.length;
  }
  const tail = s.slice(end);
  const killed = /^\n?killed pid 1 \([^)]*\): (\w+) at /m.exec(tail);
  return { boot: u8.slice(0, start), output: u8.slice(start, end), tail: u8.slice(end), exact, status, ...(killed && { killedBy: killed[1] }) };
}
