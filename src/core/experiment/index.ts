export * from './config';
export * from './json-schema';
export * from './load';
export * from './record';
export * from './run';
export * from './run-record-schema';
