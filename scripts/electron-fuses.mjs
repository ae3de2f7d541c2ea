// The Electron fuses of a packaged Disco Lab — in one place — and a small, dependency-free
// reader/writer of Electron's fuse wire (the format @electron/fuses writes).
//
// Fuses are bits compiled into the Electron binary that switch features off for good, whatever
// the environment or the command line says; `npm run package` (scripts/package.mjs) flips them
// in the packaged binary and reads them back. Docs: https://www.electronjs.org/docs/latest/tutorial/fuses
//
// Wire format (Electron ≥ 12): the ASCII sentinel below, then one byte wire version (1), one byte
// wire length N, then N fuse bytes: '0' disabled, '1' enabled, 'r' removed. A universal macOS
// binary has two wires (one per architecture slice); both are flipped.

/** Marks the fuse wire in the binary (on macOS: in "Electron Framework"). */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
export const FUSE_WIRE_VERSION = 1;

/** Position of each fuse in the version-1 wire (Electron's `fuses.json5`, @electron/fuses' FuseV1Options). */
export const FUSE_INDEX = Object.freeze({
  RunAsNode: 0,
  EnableCookieEncryption: 1,
  EnableNodeOptionsEnvironmentVariable: 2,
  EnableNodeCliInspectArguments: 3,
  EnableEmbeddedAsarIntegrityValidation: 4,
  OnlyLoadAppFromAsar: 5,
  LoadBrowserProcessSpecificV8Snapshot: 6,
  GrantFileProtocolExtraPrivileges: 7,
});

/**
 * The fuses of a packaged Disco Lab. Every fuse is set explicitly (none inherits Electron's default).
 *
 * - RunAsNode off: `ELECTRON_RUN_AS_NODE=1 disco-lab script.js` cannot turn the app into a Node.js.
 * - EnableCookieEncryption on: cookies on disk are encrypted with the OS key store (the app keeps
 *   none, but a future one would not leak).
 * - EnableNodeOptionsEnvironmentVariable off: `NODE_OPTIONS=--require evil.js` is ignored.
 * - EnableNodeCliInspectArguments off: `--inspect`, `--inspect-brk` … cannot attach a debugger.
 * - EnableEmbeddedAsarIntegrityValidation on: app.asar is checked against the hash the packager
 *   embedded (Electron supports this on macOS and Windows; on Linux the fuse has no effect).
 * - OnlyLoadAppFromAsar on: the app is loaded only from app.asar, never from a planted `app/` folder.
 * - LoadBrowserProcessSpecificV8Snapshot off: one V8 snapshot (the default; no custom snapshot).
 * - GrantFileProtocolExtraPrivileges off: file:// pages get no extra privileges (the app uses app://).
 */
export const FUSES = Object.freeze({
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
});

const DISABLED = 0x30, ENABLED = 0x31, REMOVED = 0x72;
const SENTINEL = Buffer.from(FUSE_SENTINEL, 'latin1');

/** Offsets of the fuse wire sentinels in `bytes`. */
export function findFuseWires(bytes) {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = [];
  for (let i = b.indexOf(SENTINEL); i !== -1; i = b.indexOf(SENTINEL, i + 1)) found.push(i);
  return found;
}

function wireAt(bytes, sentinel) {
  const at = sentinel + SENTINEL.length;
  if (at + 2 > bytes.length) throw new Error('fuse wire: truncated after the sentinel');
  const version = bytes[at], length = bytes[at + 1], start = at + 2;
  if (start + length > bytes.length) throw new Error('fuse wire: truncated');
  return { version, length, start };
}

/** The fuses of the first wire: name → 'enabled' | 'disabled' | 'removed' | 'unknown' | 'absent'. */
export function readFuses(bytes) {
  const [first] = findFuseWires(bytes);
  if (first === undefined) throw new Error('no Electron fuse wire found (not an Electron ≥ 12 binary?)');
  const { version, length, start } = wireAt(bytes, first);
  const fuses = {};
  for (const [name, i] of Object.entries(FUSE_INDEX)) {
    const s = i < length ? bytes[start + i] : undefined;
    fuses[name] = s === undefined ? 'absent' : s === ENABLED ? 'enabled' : s === DISABLED ? 'disabled' : s === REMOVED ? 'removed' : 'unknown';
  }
  return { version, length, fuses };
}

/**
 * Sets `fuses` in every fuse wire of `bytes` (in place) and returns what it wrote:
 * `{ wires: [{ offset, bytes }], warnings }` (offset of each changed wire's fuse bytes in the file).
 * Throws — before changing anything — if there is no wire, more than two, an unknown wire version,
 * or a configured fuse the wire is too short to hold (an Electron too old for this config).
 */
export function flipFuseWires(bytes, fuses = FUSES) {
  const sentinels = findFuseWires(bytes);
  if (sentinels.length === 0) throw new Error('no Electron fuse wire found (not an Electron ≥ 12 binary?)');
  if (sentinels.length > 2) throw new Error(`${sentinels.length} fuse wires found; at most 2 expected (universal macOS binary)`);
  const warnings = [];
  const plans = sentinels.map((s) => {
    const { version, length, start } = wireAt(bytes, s);
    if (version !== FUSE_WIRE_VERSION) throw new Error(`fuse wire version ${version}; this script knows version ${FUSE_WIRE_VERSION}`);
    const next = Uint8Array.from(bytes.subarray(start, start + length));
    for (const [name, on] of Object.entries(fuses)) {
      const i = FUSE_INDEX[name];
      if (i === undefined) throw new Error(`unknown fuse ${name}`);
      if (i >= length) throw new Error(`this Electron has no fuse ${name} (wire of ${length} fuses)`);
      if (next[i] === REMOVED) { warnings.push(`fuse ${name} is removed in this Electron; not set`); continue; }
      next[i] = on ? ENABLED : DISABLED;
    }
    return { offset: start, bytes: next };
  });
  for (const p of plans) bytes.set(p.bytes, p.offset);
  return { wires: plans, warnings };
}

/**
 * The file that holds the fuse wire of an app: on macOS the framework inside the bundle
 * (`X.app` or `X.app/Contents/MacOS/X` → `X.app/Contents/Frameworks/Electron Framework.framework/Electron Framework`),
 * elsewhere the executable itself.
 */
export function fuseFileFor(appOrBinary) {
  const m = /^(.*?\.app)(?:[\\/]Contents[\\/]MacOS[\\/][^\\/]+)?$/.exec(appOrBinary);
  if (m) return `${m[1]}/Contents/Frameworks/Electron Framework.framework/Electron Framework`;
  return appOrBinary;
}

/**
 * Flips `fuses` in the Electron binary at `path` (writing only the wire bytes) and reads them
 * back; returns the fuses as read. `fs` is node:fs/promises (injectable for tests).
 */
export async function flipFusesInFile(path, fuses = FUSES, fs) {
  fs ??= await import('node:fs/promises');
  const file = fuseFileFor(path);
  const bytes = new Uint8Array(await fs.readFile(file));
  const { wires, warnings } = flipFuseWires(bytes, fuses);
  const fh = await fs.open(file, 'r+');
  try {
    for (const w of wires) await fh.write(w.bytes, 0, w.bytes.length, w.offset);
  } finally {
    await fh.close();
  }
  const after = readFuses(new Uint8Array(await fs.readFile(file)));
  for (const [name, on] of Object.entries(fuses)) {
    const want = on ? 'enabled' : 'disabled';
    if (after.fuses[name] !== want && after.fuses[name] !== 'removed') throw new Error(`fuse ${name} reads ${after.fuses[name]} after flipping, expected ${want}`);
  }
  return { file, wires: wires.length, warnings, fuses: after.fuses };
}
