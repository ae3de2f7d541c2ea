export * from './types';
export * from './params';
export * from './validate';
export * from './schema';
