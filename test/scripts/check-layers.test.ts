// The layer check itself, on small fixture trees written to a temp folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error — plain ESM script without type declarations
import { checkLayers } from '../../scripts/check-layers.mjs';

type Violation = { file: string; line: number; message: string };
const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

/** Writes `files` (path → text) under a fresh root and runs the check. */
function check(files: Record<string, string>): Violation[] {
  const root = mkdtempSync(join(tmpdir(), 'disco-layers-'));
  roots.push(root);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return checkLayers(root) as Violation[];
}

const CLEAN = {
  'src/core/isa/table.ts': "export const T = 1;\n",
  'src/core/machine/cpu.ts': "import { T } from '../isa/table';\nexport const C = T;\n",
  'src/shared/api/contract.ts': "import { z } from 'zod';\nimport type { C } from '../../core/machine/cpu';\nexport const X = z.string();\n",
  'src/main/index.ts': "import { app } from 'electron';\nimport { readFile } from 'node:fs/promises';\nimport { X } from '../shared/api/contract';\nimport { C } from '../core/machine/cpu';\n",
  'src/preload/index.ts': "import { contextBridge } from 'electron';\nimport { X } from '../shared/api/contract';\n",
  'src/renderer/src/App.tsx': "import { useState } from 'react';\nimport { X } from '../../shared/api/contract';\nimport { T } from '../../core/isa/table';\n",
};

describe('checkLayers', () => {
  it('finds nothing wrong in a clean tree', () => {
    expect(check(CLEAN)).toEqual([]);
  });

  it.each([
    ['node:fs', "import { readFileSync } from 'node:fs';"],
    ['fs (bare built-in)', "import fs from 'fs';"],
    ['electron', "import { app } from 'electron';"],
    ['react', "import React from 'react';"],
    ['a require()', "const p = require('path');"],
    ['a dynamic import()', "const m = await import('node:worker_threads');"],
    ['src/main', "import { x } from '../../main/index';"],
  ])('reports src/core importing %s', (_what, line) => {
    const v = check({ ...CLEAN, 'src/core/machine/bad.ts': `// header\n${line}\n` });
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ file: 'src/core/machine/bad.ts', line: 2 });
  });

  it('reports src/core using the DOM through a package (react-dom)', () => {
    const v = check({ ...CLEAN, 'src/core/ui.ts': "export { createRoot } from 'react-dom/client';\n" });
    expect(v.map((x) => x.file)).toEqual(['src/core/ui.ts']);
  });

  it('reports the renderer importing src/main', () => {
    const v = check({ ...CLEAN, 'src/renderer/src/bad.ts': "import { startWebHost } from '../../main/web/host';\n" });
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/typed API/);
  });

  it('reports the renderer importing src/core internals (not the pure isa data modules)', () => {
    const v = check({ ...CLEAN, 'src/renderer/src/bad.ts': "import { C } from '../../core/machine/cpu';\n" });
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/pure data modules/);
  });

  it('reports the renderer importing Node built-ins', () => {
    expect(check({ ...CLEAN, 'src/renderer/src/bad.ts': "import { readFile } from 'node:fs';\n" })).toHaveLength(1);
  });

  it('reports preload importing src/core, src/main or other packages', () => {
    const v = check({
      ...CLEAN,
      'src/preload/a.ts': "import { C } from '../core/machine/cpu';\n",
      'src/preload/b.ts': "import { x } from '../main/index';\n",
      'src/preload/c.ts': "import WebSocket from 'ws';\n",
    });
    expect(v.map((x) => x.file).sort()).toEqual(['src/preload/a.ts', 'src/preload/b.ts', 'src/preload/c.ts']);
  });

  it('ignores commented-out imports', () => {
    expect(check({ ...CLEAN, 'src/core/ok.ts': "// import fs from 'node:fs';\n/* import 'electron'; */\nexport {};\n" })).toEqual([]);
  });
});
