/**
 * Writes the guest OS artifacts the example experiments load (until `disco-lab run` builds guests
 * itself): resources/examples/guest/kernel-{kseg0,ksseg,hal}.elf and resources/examples/guest/guest.img
 * (every program of resources/guest/programs + data files; init = `tests` unless the
 * experiment's console input names another command line).
 *
 *   npx tsx scripts/build-guest.ts [--check]     (--check: exit 1 if the files are stale)
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGuest } from '../src/core/guest/index';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const guest = join(root, 'resources', 'guest');
const out = join(root, 'resources', 'examples', 'guest');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.s') ? [join(dir, e.name)] : []));
}
const sources: Record<string, string> = {};
for (const f of walk(guest)) sources[relative(guest, f).split('\\').join('/')] = readFileSync(f, 'utf8');
const b = buildGuest(sources);
if (!b.ok) { process.stderr.write(b.errors.join('\n') + '\n'); process.exit(1); }
const files: [string, Uint8Array][] = [['kernel-kseg0.elf', b.kernel!.elf!], ['guest.img', b.disk!]];
for (const v of ['ksseg', 'hal'] as const) {
  const k = buildGuest(sources, { variant: v });
  if (!k.ok) { process.stderr.write(k.errors.join('\n') + '\n'); process.exit(1); }
  files.push([`kernel-${v}.elf`, k.kernel!.elf!]);   // linked at 0xC0000000: for Disco VMs
}
if (process.argv.includes('--check')) {
  const stale = files.filter(([n, bytes]) => !existsSync(join(out, n)) || !Buffer.from(readFileSync(join(out, n))).equals(Buffer.from(bytes)));
  if (stale.length) { process.stderr.write(`stale: ${stale.map(([n]) => n).join(', ')} (run npx tsx scripts/build-guest.ts)\n`); process.exit(1); }
} else {
  mkdirSync(out, { recursive: true });
  for (const [n, bytes] of files) { writeFileSync(join(out, n), bytes); process.stdout.write(`wrote ${relative(root, join(out, n))} (${bytes.length} bytes)\n`); }
}
