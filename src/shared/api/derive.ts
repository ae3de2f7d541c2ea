/**
 * Types derived from a contract (see ./contract.ts): the client-side API, the service a host
 * implements, and helpers to enumerate methods at runtime.
 */
import type { z } from 'zod';
import type { EventSpec, MethodSpec } from './contract';

export interface ContractShape {
  methods: Record<string, Record<string, MethodSpec<z.ZodTuple, unknown>>>;
  events: Record<string, EventSpec<unknown>>;
}

export type ResultOf<S> = S extends MethodSpec<z.ZodTuple, infer R> ? R : never;
export type PayloadOf<S> = S extends EventSpec<infer P> ? P : never;
type ArgsIn<S> = S extends MethodSpec<infer A, unknown> ? z.input<A> : never;
type ArgsOut<S> = S extends MethodSpec<infer A, unknown> ? z.output<A> : never;
type Fn<Args, R> = Args extends readonly unknown[] ? (...args: Args) => R : never;

/** What a caller sees: `api.workspace.read(path): Promise<FileContent>`, `api.onX(listener): unsubscribe`. */
export type ClientOf<C extends ContractShape> = {
  readonly [NS in keyof C['methods']]: {
    readonly [M in keyof C['methods'][NS]]: Fn<ArgsIn<C['methods'][NS][M]>, Promise<ResultOf<C['methods'][NS][M]>>>;
  };
} & {
  readonly [E in keyof C['events']]: (listener: (payload: PayloadOf<C['events'][E]>) => void) => () => void;
};

/** What a host implements: the same methods, receiving validated (parsed) arguments. */
export type ServiceOf<C extends ContractShape> = {
  [NS in keyof C['methods']]: {
    [M in keyof C['methods'][NS]]: Fn<ArgsOut<C['methods'][NS][M]>, Promise<ResultOf<C['methods'][NS][M]>> | ResultOf<C['methods'][NS][M]>>;
  };
};

/** How a host publishes an event to every connected client. */
export type EmitOf<C extends ContractShape> = <E extends keyof C['events'] & string>(name: E, payload: PayloadOf<C['events'][E]>) => void;

/** All method names of a contract, as `namespace.name`. */
export function methodNames(contract: ContractShape): string[] {
  const out: string[] = [];
  for (const ns of Object.keys(contract.methods)) for (const m of Object.keys(contract.methods[ns])) out.push(`${ns}.${m}`);
  return out;
}

/** All event names of a contract. */
export function eventNames(contract: ContractShape): string[] {
  return Object.keys(contract.events);
}

/** Looks up a method spec by `namespace.name`, using own properties only (no prototype tricks). */
export function lookupMethod(contract: ContractShape, name: string): MethodSpec<z.ZodTuple, unknown> | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const ns = name.slice(0, dot);
  const m = name.slice(dot + 1);
  const own = Object.prototype.hasOwnProperty;
  if (!own.call(contract.methods, ns)) return undefined;
  const group = contract.methods[ns];
  return own.call(group, m) ? group[m] : undefined;
}
