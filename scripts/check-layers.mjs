#!/usr/bin/env node
// Layer check: enforces the dependency direction of ../shared/DESIGN.md "Layers".
//
//   src/core      → only src/core (no packages, no node:*, no electron, no DOM, no React)
//   src/shared    → src/shared, src/core; packages: zod
//   src/main      → anything but src/renderer and src/preload
//   src/preload   → src/shared; packages: electron
//   src/renderer  → src/renderer, src/shared, and the pure data modules of src/core/isa listed
//                   in RENDERER_CORE_ALLOW; packages: react, monaco, recharts (and their subpaths)
//
// Every import form is read: `import … from 'x'`, `import 'x'`, `export … from 'x'`,
// dynamic `import('x')` and `require('x')`. Exported as `checkLayers(root)` for the tests;
// run as a script it checks this repository and exits 1 listing each violation as
// `file:line: message`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Files of src/core the renderer may import: pure data, no simulation. */
export const RENDERER_CORE_ALLOW = ['src/core/isa/types.ts', 'src/core/isa/table.ts', 'src/core/isa/registers.ts', 'src/core/isa/syntax.ts', 'src/core/asm/directives.ts'];

const PACKAGES = {
  core: [],
  shared: ['zod'],
  preload: ['electron'],
  renderer: ['react', 'react-dom', 'monaco-editor', '@monaco-editor/react', 'recharts'],
};

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const IMPORT_RE = [
  /\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]/g,
  /\bexport\s+(?:type\s+)?[\w*{}\s,$]*\s+from\s+['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function walk(dir, out = []) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (SOURCE.test(name)) out.push(p);
  }
  return out;
}

/** Strip comments so commented-out imports do not count (keeps line numbers). */
function stripComments(src) {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, (m, p) => p + ' '.repeat(m.length - p.length));
}

function layerOf(relPath) {
  const parts = relPath.split('/');
  return parts[0] === 'src' ? parts[1] : undefined;
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Resolve a relative import to a repo-relative path (extension-less imports match any source file). */
function resolveRel(root, fromFile, spec) {
  const abs = resolve(dirname(join(root, fromFile)), spec.split('?')[0]);
  return relative(root, abs).split(sep).join('/');
}

function matchesFile(target, allowed) {
  const noExt = allowed.replace(/\.(ts|tsx)$/, '');
  return target === allowed || target === noExt || target === noExt + '.js';
}

/** Returns a list of violations `{ file, line, message }` for the tree under `root`. */
export function checkLayers(root) {
  const violations = [];
  for (const abs of walk(join(root, 'src'))) {
    const file = relative(root, abs).split(sep).join('/');
    const layer = layerOf(file);
    if (!layer) continue;
    const text = stripComments(readFileSync(abs, 'utf8'));
    for (const re of IMPORT_RE) {
      re.lastIndex = 0;
      for (let m; (m = re.exec(text)); ) {
        const spec = m[1];
        const line = text.slice(0, m.index).split('\n').length;
        const bad = (message) => violations.push({ file, line, message: `${layer} may not import '${spec}': ${message}` });
        if (spec.startsWith('.') || spec.startsWith('/')) {
          const target = spec.startsWith('/') ? spec.slice(1) : resolveRel(root, file, spec);
          const tl = target.startsWith('src/') ? layerOf(target) : undefined;
          if (!target.startsWith('src/')) { bad('imports outside src/'); continue; }
          if (layer === 'core' && tl !== 'core') bad('src/core imports only src/core');
          else if (layer === 'shared' && tl !== 'shared' && tl !== 'core') bad('src/shared imports only src/shared and src/core');
          else if (layer === 'main' && (tl === 'renderer' || tl === 'preload')) bad('src/main may not reach into the renderer or preload');
          else if (layer === 'preload' && tl !== 'preload' && tl !== 'shared') bad('preload imports only src/shared and electron');
          else if (layer === 'renderer' && tl !== 'renderer' && tl !== 'shared' && !(tl === 'core' && RENDERER_CORE_ALLOW.some((a) => matchesFile(target, a))))
            bad(tl === 'core' ? 'the renderer may use only the pure data modules of src/core/isa (RENDERER_CORE_ALLOW)' : 'the renderer reaches main only through the typed API in src/shared');
          continue;
        }
        if (layer === 'main') continue;
        const pkg = packageName(spec);
        if (spec.startsWith('node:') || /^(fs|path|os|child_process|worker_threads|http|net|crypto|url|util|events|stream)$/.test(pkg)) { bad('Node built-ins are for src/main only'); continue; }
        if (!(PACKAGES[layer] ?? []).includes(pkg)) bad(`package '${pkg}' is not allowed in src/${layer}`);
      }
    }
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const v = checkLayers(root);
  for (const x of v) console.error(`${x.file}:${x.line}: ${x.message}`);
  if (v.length) { console.error(`layer check: ${v.length} violation(s)`); process.exit(1); }
  console.log('layer check: ok');
}
