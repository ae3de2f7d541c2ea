/**
 * Where a worker thread's script is, for every way the host runs: next to the running bundle
 * (out/run/<name>.js beside out/main, out/web, out/cli; inside a packaged app, its
 * app.asar.unpacked copy), or — when the host runs from the TypeScript sources (tests, `tsx`) —
 * the source file `src/main/<dir>/<name>.ts`, loaded through tsx by a small `data:` bootstrap.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A bundled script path, or a URL to evaluate (source mode). */
export type WorkerScript = string | URL;

/**
 * `name`: the bundle's stem in out/run (`worker`, `asm-worker`); `source`: its TypeScript
 * source relative to src/main (`run/worker.ts`); `from`: the caller's `import.meta.url`.
 */
export function workerScript(name: string, source: string, from: string, exists: (p: string) => boolean = existsSync): WorkerScript {
  const self = fileURLToPath(from);
  const here = dirname(self);
  if (self.endsWith('.ts')) {
    let main = here;
    while (!existsSync(join(main, source)) && dirname(main) !== main) main = dirname(main);
    const tsx = join(dirname(createRequire(from).resolve('tsx/package.json')), 'dist/esm/api/index.mjs');
    const boot = `const { register } = await import(${JSON.stringify(pathToFileURL(tsx).href)}); register();\n`
      + `await import(${JSON.stringify(pathToFileURL(join(main, source)).href)});\n`;
    return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
  }
  for (const c of [join(here, '..', 'run', `${name}.js`), join(here, `${name}.js`), join(here, '..', '..', 'out', 'run', `${name}.js`)]) {
    const unpacked = c.replace(/\.asar([\\/])/, '.asar.unpacked$1');
    if (unpacked !== c && exists(unpacked)) return unpacked;
    if (exists(c)) return c;
  }
  return join(here, '..', 'run', `${name}.js`);
}
