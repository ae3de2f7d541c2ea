// Types of package.mjs (for the TypeScript tests).
import type { FuseName, FuseState } from './electron-fuses.mjs';
export declare const PACKAGER: string;
export declare const PACKAGER_VERSION: string;
export declare const PRODUCT_NAME: string;
export declare const EXECUTABLE_NAME: string;
export interface PackageOptions { root?: string; out?: string; platform?: string; arch?: string }
export declare function ignored(path: string): boolean;
export declare function packagerOptions(opts?: PackageOptions): Record<string, unknown> & { dir: string; out: string; platform: string; arch: string; asar: unknown; ignore: (p: string) => boolean };
export declare function electronBinaryIn(appDir: string, platform: string): string;
export declare function loadPackager(importer?: (name: string) => Promise<unknown>): Promise<(o: unknown) => Promise<string[]>>;
export interface PackageDeps {
  packager?: (o: ReturnType<typeof packagerOptions>) => Promise<string[]>;
  flip?: (binary: string, fuses: Readonly<Record<FuseName, boolean>>) => Promise<{ file?: string; warnings?: string[]; fuses?: Record<string, FuseState> }>;
  codesign?: (bundle: string) => void;
  log?: (line: string) => void;
}
export declare function packageApp(opts?: PackageOptions, deps?: PackageDeps): Promise<{ dir: string; binary: string; fuses?: Record<string, FuseState> }[]>;
