// Finds (and, as root on Debian, installs) the external programs the tests compare against or drive.
// Independent references: GNU binutils for MIPS (encodings), qemu-mips (user-level semantics),
// qemu-system-mips (privileged semantics: the conformance programs on the Malta board),
// spim (speed peer), Debian's Chromium (e2e). See ../shared/STACK.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const TOOLS = {
  'mips-linux-gnu-as': 'binutils-mips-linux-gnu',
  'mips-linux-gnu-ld': 'binutils-mips-linux-gnu',
  'mips-linux-gnu-objdump': 'binutils-mips-linux-gnu',
  'qemu-mips': 'qemu-user',
  'qemu-system-mips': 'qemu-system-mips',
  spim: 'spim',
  chromium: 'chromium',
};

export function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Chromium for e2e: $DISCO_CHROMIUM → /usr/bin/chromium → PATH. */
export function findChromium() {
  const env = process.env.DISCO_CHROMIUM || process.env.CHROMIUM_PATH;
  if (env && existsSync(env)) return env;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return which('chromium') ?? which('chromium-browser');
}

/** Ensure each command exists; install missing Debian packages when root with apt-get. Returns missing ones. */
export function ensureTools(cmds = Object.keys(TOOLS)) {
  const missing = cmds.filter((c) => (c === 'chromium' ? !findChromium() : !which(c)));
  if (!missing.length) return [];
  const pkgs = [...new Set(missing.map((c) => TOOLS[c]))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && which('apt-get')) {
    console.log(`ensure-tools: installing Debian packages: ${pkgs.join(' ')}`);
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch (e) {
      console.error(`ensure-tools: apt-get failed: ${e.message}`);
    }
  }
  const still = cmds.filter((c) => (c === 'chromium' ? !findChromium() : !which(c)));
  if (still.length) {
    console.error(`ensure-tools: missing ${still.join(', ')}. Install with: sudo apt-get install ${[...new Set(still.map((c) => TOOLS[c]))].join(' ')}`);
  }
  return still;
}
