// Types of electron-fuses.mjs (for the TypeScript tests).
export declare const FUSE_SENTINEL: string;
export declare const FUSE_WIRE_VERSION: number;
export type FuseName = 'RunAsNode' | 'EnableCookieEncryption' | 'EnableNodeOptionsEnvironmentVariable' | 'EnableNodeCliInspectArguments'
  | 'EnableEmbeddedAsarIntegrityValidation' | 'OnlyLoadAppFromAsar' | 'LoadBrowserProcessSpecificV8Snapshot' | 'GrantFileProtocolExtraPrivileges';
export type FuseState = 'enabled' | 'disabled' | 'removed' | 'unknown' | 'absent';
export declare const FUSE_INDEX: Readonly<Record<FuseName, number>>;
export declare const FUSES: Readonly<Record<FuseName, boolean>>;
export declare function findFuseWires(bytes: Uint8Array): number[];
export declare function readFuses(bytes: Uint8Array): { version: number; length: number; fuses: Record<FuseName, FuseState> };
export declare function flipFuseWires(bytes: Uint8Array, fuses?: Partial<Record<FuseName, boolean>>): { wires: { offset: number; bytes: Uint8Array }[]; warnings: string[] };
export declare function fuseFileFor(appOrBinary: string): string;
export declare function flipFusesInFile(path: string, fuses?: Partial<Record<FuseName, boolean>>, fs?: typeof import('node:fs/promises')):
  Promise<{ file: string; wires: number; warnings: string[]; fuses: Record<FuseName, FuseState> }>;
