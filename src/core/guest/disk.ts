/**
 * Disk image builder for the guest's read-only file system (DSFS). 512-byte sectors,
 * big-endian words:
 *
 *   sector 0     superblock: magic 0x44534653 ("DSFS"), file count, directory sectors (4),
 *                0; at byte 64 the init command line ("program args", NUL-terminated, < 128 bytes)
 *   sectors 1-4  directory: 64 entries × 32 bytes { name[24] (NUL-terminated), first sector, size }
 *   sector 5 ... the files, each starting on a sector boundary, in directory order
 *
 * The kernel runs the command line's program as the first process; its exit powers the machine
 * off with its exit status.
 */
export const FS_MAGIC = 0x44534653;
export const FS_DIR_SECTORS = 4;
export const FS_MAX_FILES = (FS_DIR_SECTORS * 512) / 32;
export const FS_NAME_MAX = 23;
export const FS_CMDLINE_MAX = 127;

export interface DiskFile { name: string; bytes: Uint8Array }

export interface DiskLayoutEntry { name: string; sector: number; size: number }

function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24; b[off + 1] = (v >>> 16) & 255; b[off + 2] = (v >>> 8) & 255; b[off + 3] = v & 255;
}

function ascii(s: string, what: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c > 0x7e) throw new Error(`${what}: only printable ASCII is allowed, got ${JSON.stringify(s)}`);
    out.push(c);
  }
  return out;
}

/**
 * Builds the image. Throws (a caller mistake) on duplicate or over-long names, too many files,
 * or an over-long command line.
 */
export function buildDiskImage(files: readonly DiskFile[], initCmdline: string): { image: Uint8Array; layout: DiskLayoutEntry[] } {
  if (files.length > FS_MAX_FILES) throw new Error(`disk image: at most ${FS_MAX_FILES} files, got ${files.length}`);
  const seen = new Set<string>();
  for (const f of files) {
    if (!f.name || f.name.length > FS_NAME_MAX || f.name.includes(' ')) throw new Error(`disk image: file name ${JSON.stringify(f.name)} must be 1-${FS_NAME_MAX} characters without spaces`);
    if (seen.has(f.name)) throw new Error(`disk image: duplicate file ${f.name}`);
    seen.add(f.name);
  }
  const cmd = ascii(initCmdline, 'init command line');
  if (cmd.length > FS_CMDLINE_MAX) throw new Error(`init command line longer than ${FS_CMDLINE_MAX} bytes`);
  let sector = 1 + FS_DIR_SECTORS;
  const layout = files.map((f) => { const e = { name: f.name, sector, size: f.bytes.length }; sector += Math.ceil(f.bytes.length / 512); return e; });
  const image = new Uint8Array(sector * 512);
  put32(image, 0, FS_MAGIC);
  put32(image, 4, files.length);
  put32(image, 8, FS_DIR_SECTORS);
  image.set(cmd, 64);
  layout.forEach((e, i) => {
    const d = 512 + i * 32;
    image.set(ascii(e.name, 'file name'), d);
    put32(image, d + 24, e.sector);
    put32(image, d + 28, e.size);
    image.set(files[i].bytes, e.sector * 512);
  });
  return { image, layout };
}
