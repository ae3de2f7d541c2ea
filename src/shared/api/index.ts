/** The Disco Lab API contract and its generic machinery. See ./contract.ts. */
export * from './errors';
export * from './types';
export * from '../lab/types';
export * from '../lab/results';
export * from './contract';
export * from './derive';
export * from './client';
export * from './server';
import type { ClientOf, EmitOf, ServiceOf } from './derive';
import type { Contract } from './contract';

/** `window.api` / the WebSocket client: the API as the renderer sees it. */
export type DiscoApi = ClientOf<Contract>;
/** What a host implements. */
export type DiscoService = ServiceOf<Contract>;
/** How a host publishes events. */
export type DiscoEmit = EmitOf<Contract>;
export * from './wire';
export * from '../lab/lab-view';
