// The API boundary: the generic binder validates every call and never throws; the generic
// client proxies calls and events and turns failures into plain { code, message } objects.
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  CONTRACT, ERROR_CODES, bindService, createClient, event, fail, isApiError, method, methodNames, parseCallFrame, trimArgs,
  type DiscoService, type Envelope, type Transport,
} from '../../src/shared/api';

/** A service where every method records its arguments; some fail on purpose. */
function fakeService(): { service: DiscoService; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const rec = (name: string) => (...args: unknown[]) => {
    calls.push([name, ...args]);
    if (args[0] === 'boom') throw new Error('bug with /secret/host/path');
    if (args[0] === 'missing') throw fail('E_NOT_FOUND', 'missing does not exist');
    return { path: String(args[0]), content: 'x', size: 1, mtimeMs: 0, kind: 'file' };
  };
  const service = {
    app: { info: rec('app.info') },
    workspace: {
      info: rec('info'), list: rec('list'), read: rec('read'), write: rec('write'), create: rec('create'),
      rename: rec('rename'), delete: rec('delete'), open: rec('open'),
    },
  } as unknown as DiscoService;
  return { service, calls };
}

describe('bindService (server side of the boundary)', () => {
  it('passes validated arguments to the implementation and wraps the value', async () => {
    const { service, calls } = fakeService();
    const dispatch = bindService(CONTRACT, service);
    const env = await dispatch('workspace.read', ['programs/hello.s']);
    expect(env).toEqual({ ok: true, value: expect.objectContaining({ path: 'programs/hello.s' }) });
    expect(calls).toEqual([['read', 'programs/hello.s']]);
  });

  it.each([
    ['wrong type', 'workspace.read', [42]],
    ['missing argument', 'workspace.read', []],
    ['extra argument', 'workspace.read', ['a', 'b']],
    ['empty path', 'workspace.read', ['']],
    ['path too long', 'workspace.read', ['a'.repeat(5000)]],
    ['bad enum', 'workspace.create', ['x', 'symlink']],
    ['unknown option key', 'workspace.delete', ['x', { force: true }]],
    ['null for options', 'workspace.delete', ['x', null]],
    ['args not an array', 'workspace.read', 'programs/hello.s'],
    ['args an object', 'workspace.read', { 0: 'x', length: 1 }],
  ])('rejects bad input (%s) with E_INVALID_INPUT and never calls the service', async (_why, name, args) => {
    const { service, calls } = fakeService();
    const env = await bindService(CONTRACT, service)(name, args);
    expect(env.ok).toBe(false);
    expect(!env.ok && env.error.code).toBe('E_INVALID_INPUT');
    expect(calls).toEqual([]);
  });

  it('names the offending argument in the message', async () => {
    const env = await bindService(CONTRACT, fakeService().service)('workspace.write', ['a.s', 7]);
    expect(!env.ok && env.error.message).toMatch(/workspace\.write: argument 2: .*expected string/);
  });

  it.each([['nope.read'], ['workspace.nope'], ['workspace'], [''], ['__proto__.toString'], ['workspace.constructor'], ['app.info.x']])(
    'answers an unknown method (%s) with E_UNKNOWN_METHOD',
    async (name) => {
      const env = await bindService(CONTRACT, fakeService().service)(name, []);
      expect(!env.ok && env.error.code).toBe('E_UNKNOWN_METHOD');
    },
  );

  it('answers a non-string method name with E_UNKNOWN_METHOD', async () => {
    for (const m of [undefined, null, 42, {}, ['workspace.read']]) {
      const env = await bindService(CONTRACT, fakeService().service)(m, []);
      expect(!env.ok && env.error.code).toBe('E_UNKNOWN_METHOD');
    }
  });

  it('passes typed service failures through and hides unexpected exceptions behind E_INTERNAL', async () => {
    const onInternalError = vi.fn();
    const dispatch = bindService(CONTRACT, fakeService().service, { onInternalError });
    expect(await dispatch('workspace.read', ['missing'])).toEqual({ ok: false, error: { code: 'E_NOT_FOUND', message: 'missing does not exist' } });
    const env = await dispatch('workspace.read', ['boom']);
    expect(!env.ok && env.error.code).toBe('E_INTERNAL');
    expect(!env.ok && env.error.message).not.toContain('/secret/host/path');
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('never rejects, whatever it is given', async () => {
    const dispatch = bindService(CONTRACT, fakeService().service);
    const junk: unknown[] = [undefined, null, 0, 'x', {}, [], () => 1, Symbol('s'), new Proxy({}, {})];
    for (const m of junk) for (const a of junk) await expect(dispatch(m, a)).resolves.toHaveProperty('ok', false);
  });

  it('reports methods a host did not implement as E_UNSUPPORTED', async () => {
    const partial = { app: {}, workspace: {} } as unknown as DiscoService;
    const env = await bindService(CONTRACT, partial)('app.info', []);
    expect(!env.ok && env.error.code).toBe('E_UNSUPPORTED');
  });
});

describe('createClient (client side of the boundary)', () => {
  function loopback(): { transport: Transport; sent: [string, unknown[]][]; fire(ev: string, p: unknown): void } {
    const { service } = fakeService();
    const dispatch = bindService(CONTRACT, service);
    const sent: [string, unknown[]][] = [];
    const listeners = new Map<string, Set<(p: unknown) => void>>();
    return {
      sent,
      transport: {
        call: (m, a) => { sent.push([m, a]); return dispatch(m, a); },
        subscribe: (ev, l) => {
          if (!listeners.has(ev)) listeners.set(ev, new Set());
          listeners.get(ev)!.add(l);
          return () => listeners.get(ev)!.delete(l);
        },
      },
      fire: (ev, p) => listeners.get(ev)?.forEach((l) => l(p)),
    };
  }

  it('exposes every contract method as ns.name and every event as onX', () => {
    const api = createClient(CONTRACT, loopback().transport) as unknown as Record<string, Record<string, unknown>>;
    for (const name of methodNames(CONTRACT)) {
      const [ns, m] = name.split('.');
      expect(typeof api[ns][m]).toBe('function');
    }
    expect(typeof api.onWorkspaceChanged).toBe('function');
    expect(typeof api.onCommand).toBe('function');
  });

  it('resolves with values and rejects with plain { code, message } objects', async () => {
    const lb = loopback();
    const api = createClient(CONTRACT, lb.transport);
    await expect(api.workspace.read('programs/a.s')).resolves.toMatchObject({ path: 'programs/a.s' });
    const err = await api.workspace.read('missing').catch((e: unknown) => e);
    expect(err).toEqual({ code: 'E_NOT_FOUND', message: 'missing does not exist' });
    expect(Object.getPrototypeOf(err)).toBe(Object.prototype);
  });

  it('drops trailing undefined arguments so JSON transports do not send null', async () => {
    const lb = loopback();
    const api = createClient(CONTRACT, lb.transport);
    await api.workspace.list(undefined);
    await api.workspace.delete('x', undefined);
    expect(lb.sent).toEqual([['workspace.list', []], ['workspace.delete', ['x']]]);
    expect(trimArgs([1, undefined, 2, undefined])).toEqual([1, undefined, 2]);
  });

  it('turns a broken transport into E_DISCONNECTED', async () => {
    const api = createClient(CONTRACT, { call: () => Promise.reject(new Error('socket closed')), subscribe: () => () => {} });
    await expect(api.app.info()).rejects.toEqual({ code: 'E_DISCONNECTED', message: 'socket closed' });
  });

  it('delivers events to listeners until they unsubscribe', () => {
    const lb = loopback();
    const api = createClient(CONTRACT, lb.transport);
    const seen: unknown[] = [];
    const off = api.onWorkspaceChanged((c) => seen.push(c.paths));
    lb.fire('onWorkspaceChanged', { root: '/w', paths: ['a'], reset: false });
    off();
    lb.fire('onWorkspaceChanged', { root: '/w', paths: ['b'], reset: false });
    expect(seen).toEqual([['a']]);
  });
});

describe('the contract', () => {
  it('uses event names of the form onX and method names ns.name', () => {
    for (const e of Object.keys(CONTRACT.events)) expect(e).toMatch(/^on[A-Z]\w+$/);
    for (const m of methodNames(CONTRACT)) expect(m).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/);
  });

  it('documents every method and event', () => {
    for (const ns of Object.values(CONTRACT.methods)) for (const spec of Object.values(ns)) expect(spec.doc.length).toBeGreaterThan(10);
    for (const spec of Object.values(CONTRACT.events)) expect(spec.doc.length).toBeGreaterThan(10);
  });

  it('adding a method is one declaration: a custom contract binds and proxies with no other code', async () => {
    const mini = {
      methods: { asm: { assemble: method<{ words: number }>()(z.tuple([z.string()]), 'Assembles source text.') } },
      events: { onRunProgress: event<{ percent: number }>('Progress of a run.') },
    };
    const dispatch = bindService(mini, { asm: { assemble: (src: string) => ({ words: src.split('\n').length }) } });
    const api = createClient(mini, { call: dispatch as (m: string, a: unknown[]) => Promise<Envelope>, subscribe: () => () => {} });
    await expect(api.asm.assemble('nop\nnop')).resolves.toEqual({ words: 2 });
    await expect((api.asm.assemble as unknown as (x: number) => Promise<unknown>)(1)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
  });

  it('has a documented message for every error code and recognises API errors', () => {
    for (const [code, doc] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^E_[A-Z_]+$/);
      expect(doc.length).toBeGreaterThan(3);
    }
    expect(isApiError({ code: 'E_IO', message: 'x' })).toBe(true);
    expect(isApiError({ code: 'E_MADE_UP', message: 'x' })).toBe(false);
    expect(isApiError(new Error('x'))).toBe(false);
  });
});

describe('WebSocket frames', () => {
  it('accepts well-formed calls and explains malformed frames', () => {
    expect(parseCallFrame('{"t":"call","id":3,"method":"app.info","args":[]}')).toEqual({ frame: { t: 'call', id: 3, method: 'app.info', args: [] } });
    expect(parseCallFrame('not json')).toEqual({ id: -1, error: 'frame is not JSON' });
    expect(parseCallFrame('{"t":"call","id":4,"method":1,"args":[]}')).toEqual({ id: 4, error: 'method must be a string' });
    expect(parseCallFrame('{"t":"call","id":5,"method":"x","args":{}}')).toEqual({ id: 5, error: 'args must be an array' });
    expect(parseCallFrame('{"t":"call","id":-2,"method":"x","args":[]}')).toMatchObject({ id: -1 });
    expect(parseCallFrame('null')).toMatchObject({ id: -1 });
  });
});
