/**
 * A workspace: a folder the user owns, with `programs/`, `machines/`, `experiments/`, `runs/`.
 *
 * Every method takes workspace-relative paths from an untrusted caller, confines them
 * (./confine.ts) and reports failures as ApiException codes (./errors.ts). Writes are atomic
 * (./atomic.ts) and limited to MAX_FILE_BYTES. Listings hide dot-files (including temp files)
 * and symlinks that lead outside the workspace.
 */
import { realpathSync } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fail } from '../../shared/api/errors';
import { MAX_FILE_BYTES } from '../../shared/api/contract';
import { WORKSPACE_FOLDERS, type FileContent, type FileNode, type FileStat, type FileTree, type WorkspaceInfo } from '../../shared/api/types';
import { atomicCreateFile, atomicWriteFile } from './atomic';
import { confine, isInside, type Resolved } from './confine';
import { fsError } from './errors';

/** At most this many entries are listed; the tree is then marked `truncated`. */
export const MAX_LIST_ENTRIES = 20_000;

export class Workspace {
  /** The real (symlink-free) absolute path of the workspace folder. */
  readonly root: string;

  private readonly maxListEntries: number;

  /** `dir` must exist; it is resolved to its real path once, here. */
  constructor(dir: string, opts: { maxListEntries?: number } = {}) {
    this.root = realpathSync(dir);
    this.maxListEntries = opts.maxListEntries ?? MAX_LIST_ENTRIES;
  }

  private async resolve(path: string): Promise<Resolved> {
    try {
      return await confine(this.root, path);
    } catch (e) {
      throw fsError(e, path);
    }
  }

  private async stat(r: Resolved): Promise<FileStat> {
    const st = await stat(r.target);
    return { path: r.rel, kind: st.isDirectory() ? 'dir' : 'file', size: st.isDirectory() ? 0 : st.size, mtimeMs: st.mtimeMs };
  }

  async info(): Promise<WorkspaceInfo> {
    const folders = {} as WorkspaceInfo['folders'];
    for (const f of WORKSPACE_FOLDERS) folders[f] = await stat(join(this.root, f)).then((s) => s.isDirectory(), () => false);
    return { root: this.root, name: basename(this.root), folders };
  }

  async list(path = ''): Promise<FileTree> {
    const r = await this.resolve(path);
    if (!r.exists) throw fail('E_NOT_FOUND', `${r.rel || 'the workspace'} does not exist`);
    const st = await stat(r.target).catch((e) => { throw fsError(e, r.rel); });
    if (!st.isDirectory()) throw fail('E_NOT_DIRECTORY', `${r.rel} is not a folder`);
    const budget = { left: this.maxListEntries, truncated: false };
    const root: FileNode = { name: r.rel ? basename(r.rel) : basename(this.root), path: r.rel, kind: 'dir', mtimeMs: st.mtimeMs };
    root.children = await this.listDir(r.target, r.rel, budget, new Set([r.target]));
    return { root, truncated: budget.truncated };
  }

  private async listDir(real: string, rel: string, budget: { left: number; truncated: boolean }, seen: Set<string>): Promise<FileNode[]> {
    let names: string[];
    try {
      names = await readdir(real);
    } catch {
      return [];
    }
    const nodes: FileNode[] = [];
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      if (budget.left <= 0) { budget.truncated = true; break; }
      const p = join(real, name);
      const childRel = rel ? `${rel}/${name}` : name;
      let target = p;
      try {
        const l = await lstat(p);
        if (l.isSymbolicLink()) {
          const r = await confine(this.root, childRel).catch(() => null);
          if (!r || !r.exists) continue; // escaping or dangling link: not shown
          target = r.target;
        }
        const st = await stat(target);
        budget.left--;
        if (st.isDirectory()) {
          const node: FileNode = { name, path: childRel, kind: 'dir', mtimeMs: st.mtimeMs, children: [] };
          if (!seen.has(target)) node.children = await this.listDir(target, childRel, budget, new Set([...seen, target]));
          nodes.push(node);
        } else if (st.isFile()) {
          nodes.push({ name, path: childRel, kind: 'file', size: st.size, mtimeMs: st.mtimeMs });
        }
      } catch {
        /* vanished while listing: skip */
      }
    }
    return nodes.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
  }

  async read(path: string): Promise<FileContent> {
    const r = await this.resolve(path);
    if (!r.parts.length) throw fail('E_NOT_FILE', 'the workspace root is a folder');
    try {
      const st = await stat(r.target);
      if (!st.isFile()) throw fail('E_NOT_FILE', `${r.rel} is not a file`);
      if (st.size > MAX_FILE_BYTES) throw fail('E_TOO_LARGE', `${r.rel} is larger than ${MAX_FILE_BYTES} bytes`);
      const content = await readFile(r.target, 'utf8');
      return { path: r.rel, kind: 'file', size: st.size, mtimeMs: st.mtimeMs, content };
    } catch (e) {
      throw fsError(e, r.rel);
    }
  }

  async write(path: string, content: string): Promise<FileStat> {
    const r = await this.resolve(path);
    if (!r.parts.length) throw fail('E_NOT_FILE', 'the workspace root is a folder');
    checkSize(content, r.rel);
    try {
      if (r.exists && !(await stat(r.target)).isFile()) throw fail('E_NOT_FILE', `${r.rel} is not a file`);
      await this.mkdirs(dirname(r.target), r.rel);
      await atomicWriteFile(r.target, content);
      return await this.stat(r);
    } catch (e) {
      throw fsError(e, r.rel);
    }
  }

  /**
   * Reads a binary file (a `.dlsnap` snapshot): E_NOT_FOUND, E_NOT_FILE, E_TOO_LARGE above
   * `maxBytes`. Confined like every path.
   */
  async readBytes(path: string, maxBytes: number): Promise<Uint8Array> {
    const r = await this.resolve(path);
    if (!r.parts.length) throw fail('E_NOT_FILE', 'the workspace root is a folder');
    try {
      const st = await stat(r.target);
      if (!st.isFile()) throw fail('E_NOT_FILE', `${r.rel} is not a file`);
      if (st.size > maxBytes) throw fail('E_TOO_LARGE', `${r.rel} is larger than ${maxBytes} bytes`);
      return new Uint8Array(await readFile(r.target));
    } catch (e) {
      throw fsError(e, r.rel);
    }
  }

  /** Replaces (or creates) a binary file atomically (temp file, fsync, rename), as `write` does text; at most `maxBytes`. */
  async writeBytes(path: string, data: Uint8Array, maxBytes: number): Promise<FileStat> {
    const r = await this.resolve(path);
    if (!r.parts.length) throw fail('E_NOT_FILE', 'the workspace root is a folder');
    if (data.length > maxBytes) throw fail('E_TOO_LARGE', `${r.rel}: content exceeds ${maxBytes} bytes`);
    try {
      if (r.exists && !(await stat(r.target)).isFile()) throw fail('E_NOT_FILE', `${r.rel} is not a file`);
      await this.mkdirs(dirname(r.target), r.rel);
      await atomicWriteFile(r.target, data);
      return await this.stat(r);
    } catch (e) {
      throw fsError(e, r.rel);
    }
  }

  /**
   * Writes a **new** file atomically: `E_EXISTS` if `path` exists or another writer creates it
   * at the same moment — never overwrites (run records: ./atomic.ts `atomicCreateFile`).
   */
  async writeNew(path: string, content: string): Promise<FileStat> {
    const r = await this.resolve(path);
    if (!r.parts.length) throw fail('E_EXISTS', 'the workspace root exists');
    if (r.exists || r.isLink) throw fail('E_EXISTS', `${r.rel} already exists`);
    checkSize(content, r.rel);
    try {
      await this.mkdirs(dirname(r.target), r.rel);
      await atomicCreateFile(r.target, content);
      return await this.stat(r);
    } catch (e) {
      throw fsError(e, r.rel);
    }
  }

  async create(path: string, kind: 'file' | 'dir', content = ''): Promise<FileStat> {
    const r = await this.resolve(path);
    if (!r.parts.length) throw fail('E_EXISTS', 'the workspace root exists');
    if (r.exists || r.isLink) throw fail('E_EXISTS', `${r.rel} already exists`);
    checkSize(content, r.rel);
    try {
      await this.mkdirs(dirname(r.target), r.rel);
      if (kind === 'dir') await mkdir(r.target);
      else {
        // 'wx' semantics: fail if it appeared meanwhile, then fill atomically.
        await (await open(r.target, 'wx')).close();
        if (content) await atomicWriteFile(r.target, content);
      }
      return await this.stat(r);
    } catch (e) {
      throw fsError(e, r.rel);
    }
  }

  async rename(from: string, to: string): Promise<FileStat> {
    const a = await this.resolve(from);
    const b = await this.resolve(to);
    if (!a.parts.length || !b.parts.length) throw fail('E_INVALID_INPUT', 'the workspace root cannot be renamed');
    if (!a.exists && !a.isLink) throw fail('E_NOT_FOUND', `${a.rel} does not exist`);
    if (b.exists || b.isLink) throw fail('E_EXISTS', `${b.rel} already exists`);
    if (b.entry === a.entry || isInside(a.entry, b.entry)) throw fail('E_INVALID_INPUT', `cannot move ${a.rel} into itself`);
    try {
      await this.mkdirs(dirname(b.entry), b.rel);
      await rename(a.entry, b.entry);
      const moved = await this.resolve(b.rel);
      return await this.stat(moved);
    } catch (e) {
      throw fsError(e, b.rel);
    }
  }

  async delete(path: string, opts: { recursive?: boolean } = {}): Promise<void> {
    const r = await this.resolve(path);
    if (!r.parts.length) throw fail('E_INVALID_INPUT', 'the workspace root cannot be deleted');
    try {
      const l = await lstat(r.entry);
      if (l.isSymbolicLink() || !l.isDirectory()) await unlink(r.entry);
      else if (opts.recursive) await rm(r.entry, { recursive: true });
      else await rmdir(r.entry);
    } catch (e) {
      throw fsError(e, r.rel);
    }
  }

  /** mkdir -p for a folder already known to be confined (it is below a confined real parent). */
  private async mkdirs(dir: string, rel: string): Promise<void> {
    if (!isInside(this.root, dir)) throw fail('E_PATH_ESCAPE', `${rel} leaves the workspace`);
    await mkdir(dir, { recursive: true });
  }
}

function checkSize(content: string, rel: string): void {
  if (Buffer.byteLength(content, 'utf8') > MAX_FILE_BYTES) throw fail('E_TOO_LARGE', `${rel}: content exceeds ${MAX_FILE_BYTES} bytes`);
}
