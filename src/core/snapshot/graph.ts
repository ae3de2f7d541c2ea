/**
 * Object-graph state capture and restore: the engine under whole-machine snapshots.
 *
 * `captureGraph(root, rules)` walks every object reachable from `root` through own enumerable
 * properties (class instances, plain objects, arrays, Maps, Sets, typed arrays) and writes down
 * its data: numbers, strings, booleans, null/undefined, typed-array contents. Functions are not
 * state (a machine built from the same inputs has its own), and the properties a class's rule
 * names are derived caches (soft-TLBs, decoded pages, compiled code) or links to the host that
 * a restore rebuilds. Shared objects and cycles are kept: an object met again is a reference to
 * its first visit (`{ $r: id }`), and typed arrays over a buffer already written are views of it.
 *
 * `applyGraph(root, graph, rules)` walks a machine built from the same inputs in the same order
 * and makes it equal: primitives assigned, typed arrays overwritten in place (so the aliases the
 * hot loop holds stay valid), arrays resized, Maps and Sets refilled, and objects that exist only
 * in the snapshot (created while running) made from the prototype of their class, found by class
 * name among the objects of the target and those seen at capture.
 *
 * The format is plain data plus typed arrays (serialisable: ./codec.ts). Non-finite numbers are
 * `{ $n: 'Infinity' | '-Infinity' | 'NaN' }` so a JSON form keeps them.
 */

/** What a class does not put into a snapshot, and what it redoes after a restore. */
export interface ClassRule {
  /** Own properties that are not state (caches, host links); kept as the target has them. */
  skip?: readonly string[];
  /** Called on every restored instance after the whole graph is applied (rebuild caches). */
  afterRestore?(obj: object): void;
  /** Own capture: the object writes down its state itself (e.g. the event queue). */
  capture?(obj: object): unknown;
  restore?(obj: object, state: unknown): void;
}

export type ClassRules = ReadonlyMap<string, ClassRule>;

export type TypedArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** A captured value. */
export type Node =
  | number | string | boolean | null
  | { $u: 1 }
  | { $n: string }
  | { $r: number }
  | { $o: number; c?: string; p: Record<string, Node> }
  | { $a: number; e: Node[] }
  | { $m: number; e: [Node, Node][] }
  | { $s: number; e: Node[] }
  | { $t: number; type: string; data: TypedArray }
  | { $v: number; of: number; type: string; offset: number; length: number }
  | { $x: number; c: string; state: unknown };

export class SnapshotError extends Error {
  constructor(message: string) { super(message); this.name = 'SnapshotError'; }
}

const TYPED: Record<string, new (n: number) => TypedArray> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
};

function className(o: object): string {
  const p = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
  return p === null ? 'null' : p.constructor?.name ?? 'Object';
}

const isPlainProto = (o: object) => { const p = Object.getPrototypeOf(o); return p === Object.prototype || p === null; };

/** Captures the graph under `root`; `protos` collects the prototypes of the classes met (for in-process restores). */
export function captureGraph(root: object, rules: ClassRules, protos?: Map<string, object>): Node {
  const ids = new Map<object, number>();
  const buffers = new Map<ArrayBufferLike, { id: number; view: TypedArray }>();
  let next = 0;

  // Breadth-first: an object is defined (and later referenced) at its shallowest path, so the
  // machine's own lists (machine.cpus, monitor.vcpus) define their members before any cross-link
  // (a vCPU's `onCpu`) does — and a fresh target has the same objects at those paths.
  const queue: (() => void)[] = [];
  const walk = (v: unknown): Node | undefined => {
    if (v === undefined) return { $u: 1 };
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : { $n: String(v) };
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return undefined;
    const o = v as object;
    const seen = ids.get(o);
    if (seen !== undefined) return { $r: seen };
    const id = next++;
    ids.set(o, id);
    if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
      const t = o as TypedArray, type = className(t);
      const first = buffers.get(t.buffer);
      if (first) {
        const base = first.view.byteOffset;
        return { $v: id, of: first.id, type, offset: t.byteOffset - base, length: t.length };
      }
      buffers.set(t.buffer, { id, view: t });
      return { $t: id, type, data: t.slice() as TypedArray };
    }
    if (Array.isArray(o)) {
      const e: Node[] = [];
      queue.push(() => { for (const x of o) { const xn = walk(x); e.push(xn === undefined ? { $u: 1 } : xn); } });   // null stays null (not `??`)
      return { $a: id, e };
    }
    if (o instanceof Map) {
      const e: [Node, Node][] = [];
      queue.push(() => { for (const [k, x] of o) { const kn = walk(k), xn = walk(x); if (kn !== undefined && xn !== undefined) e.push([kn, xn]); } });
      return { $m: id, e };
    }
    if (o instanceof Set) {
      const e: Node[] = [];
      queue.push(() => { for (const x of o) { const xn = walk(x); if (xn !== undefined) e.push(xn); } });
      return { $s: id, e };
    }
    const c = className(o);
    const rule = rules.get(c);
    if (rule?.capture) return { $x: id, c, state: rule.capture(o) };
    if (protos && !isPlainProto(o) && !protos.has(c)) protos.set(c, Object.getPrototypeOf(o) as object);
    const skip = rule?.skip;
    const p: Record<string, Node> = {};
    queue.push(() => {
      for (const k of Object.keys(o)) {
        if (skip?.includes(k)) continue;
        const n = walk((o as Record<string, unknown>)[k]);
        if (n !== undefined) p[k] = n;
      }
    });
    return isPlainProto(o) ? { $o: id, p } : { $o: id, c, p };
  };

  const n = walk(root);
  if (n === undefined) throw new SnapshotError('the root is not an object');
  for (let i = 0; i < queue.length; i++) queue[i]();
  return n;
}

/** Collects the prototypes of the classes of every object reachable from `root` (by class name). */
export function collectPrototypes(root: object, into: Map<string, object> = new Map()): Map<string, object> {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) continue;
    if (Array.isArray(v)) { for (const x of v) stack.push(x); continue; }
    if (v instanceof Map) { for (const [k, x] of v) stack.push(k, x); continue; }
    if (v instanceof Set) { for (const x of v) stack.push(x); continue; }
    if (!isPlainProto(v)) { const c = className(v); if (!into.has(c)) into.set(c, Object.getPrototypeOf(v) as object); }
    for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
  }
  return into;
}

/**
 * Makes the graph under `root` equal to `graph` (see the file comment). `protos` gives the
 * prototypes of classes the target may lack (those seen at capture); the target's own are added.
 */
export function applyGraph(root: object, graph: Node, rules: ClassRules, protos: Map<string, object> = new Map()): void {
  collectPrototypes(root, protos);
  const objs = new Map<number, unknown>();
  const restored: { obj: object; rule: ClassRule }[] = [];

  const protoOf = (c: string): object => {
    const p = protos.get(c);
    if (!p) throw new SnapshotError(`the snapshot holds an object of class ${c}, which this machine has none of`);
    return p;
  };

  const apply = (target: unknown, n: Node): unknown => {
    if (n === null || typeof n !== 'object') return n;
    if ('$u' in n) return undefined;
    if ('$n' in n) return Number(n.$n);
    if ('$r' in n) {
      if (!objs.has(n.$r)) throw new SnapshotError(`reference to object ${n.$r} before its definition`);
      return objs.get(n.$r);
    }
    const mine = (x: unknown): x is object => x !== null && typeof x === 'object' && !isMapped(x);
    if ('$t' in n) {
      const T = TYPED[n.type];
      if (!T) throw new SnapshotError(`unknown typed array ${n.type}`);
      let t: TypedArray;
      if (mine(target) && className(target) === n.type && (target as TypedArray).length === n.data.length) { t = target as TypedArray; t.set(n.data as never); }
      else { t = new T(n.data.length); t.set(n.data as never); }
      objs.set(n.$t, t);
      return t;
    }
    if ('$v' in n) {
      const of = objs.get(n.of) as TypedArray | undefined;
      if (!of) throw new SnapshotError(`view of object ${n.of} before its definition`);
      const T = TYPED[n.type] as unknown as new (b: ArrayBufferLike, o: number, l: number) => TypedArray;
      const offset = of.byteOffset + n.offset;
      const t = mine(target) && className(target) === n.type && (target as TypedArray).buffer === of.buffer && (target as TypedArray).byteOffset === offset && (target as TypedArray).length === n.length
        ? target as TypedArray : new T(of.buffer, offset, n.length);
      objs.set(n.$v, t);
      return t;
    }
    if ('$a' in n) {
      const a = (mine(target) && Array.isArray(target) ? target : []) as unknown[];
      objs.set(n.$a, a);
      queue.push(() => {
        if (a.length !== n.e.length) a.length = n.e.length;
        n.e.forEach((x, i) => { const v = apply(a[i], x); if (a[i] !== v || !(i in a)) a[i] = v; });
      });
      return a;
    }
    if ('$m' in n) {
      const m = (mine(target) && target instanceof Map ? target : new Map()) as Map<unknown, unknown>;
      objs.set(n.$m, m);
      queue.push(() => {
        const old = new Map(m);
        m.clear();
        for (const [k, x] of n.e) { const key = apply(undefined, k); m.set(key, apply(old.get(key), x)); }
      });
      return m;
    }
    if ('$s' in n) {
      const s = (mine(target) && target instanceof Set ? target : new Set()) as Set<unknown>;
      objs.set(n.$s, s);
      queue.push(() => { s.clear(); for (const x of n.e) s.add(apply(undefined, x)); });
      return s;
    }
    if ('$x' in n) {
      const rule = rules.get(n.c);
      if (!rule?.restore || !mine(target) || className(target) !== n.c) throw new SnapshotError(`cannot restore a ${n.c} here`);
      rule.restore(target, n.state);
      objs.set(n.$x, target);
      return target;
    }
    // an object
    const c = n.c ?? 'Object';
    const o = (mine(target) && !Array.isArray(target) && !ArrayBuffer.isView(target) && className(target) === c
      ? target : n.c === undefined ? {} : Object.create(protoOf(c))) as Record<string, unknown>;
    objs.set(n.$o, o);
    const rule = n.c !== undefined ? rules.get(n.c) : undefined;
    queue.push(() => {
      if (n.c === undefined) {
        // plain objects are records: same keys in the same order (records list keys in that order;
        // functions are not in snapshots: they stay as they are)
        const keys = Object.keys(o).filter((k) => typeof o[k] !== 'function'), want = Object.keys(n.p);
        if (keys.length !== want.length || keys.some((k, i) => k !== want[i])) {
          const vals = new Map(keys.map((k) => [k, o[k]]));
          for (const k of keys) delete o[k];
          for (const k of want) o[k] = vals.get(k);
        }
      }
      for (const k of Object.keys(n.p)) {
        const v = apply(o[k], n.p[k]);
        if (o[k] !== v || !(k in o)) o[k] = v;
      }
    });
    if (rule?.afterRestore) restored.push({ obj: o, rule });
    return o;
  };
  const queue: (() => void)[] = [];
  const mapped = new Set<unknown>();
  const isMapped = (x: object) => mapped.has(x);
  const setObj = objs.set.bind(objs);
  objs.set = (k: number, v: unknown) => { if (v !== null && typeof v === 'object') mapped.add(v); return setObj(k, v); };

  const out = apply(root, graph);
  if (out !== root) throw new SnapshotError('the snapshot does not fit this machine (its root differs)');
  for (let i = 0; i < queue.length; i++) queue[i]();
  for (const r of restored) r.rule.afterRestore!(r.obj);
}
