// The device registry (src/core/machine/devices/registry.ts): sane windows, the machine builds
// exactly these devices as typed properties, and docs/physical-address-map.md agrees with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEVICES, DEVICE_BASE } from '../../../../src/core/machine/devices/registry';
import { DEVICE_PAGE_BYTES, DEVICE_WINDOW_BASE, DEVICE_WINDOW_END } from '../../../../src/core/machine/devices/device';
import { ConsoleDevice } from '../../../../src/core/machine/devices/console';
import { Machine } from '../../../../src/core/machine/machine';
import { ROOT, preset } from '../helpers/bare';

const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;
const DOC = readFileSync(join(ROOT, 'docs/physical-address-map.md'), 'utf8');

describe('device registry', () => {
  it('gives each device its own page-aligned window inside the device window, and a unique name', () => {
    expect(new Set(DEVICES.map((d) => d.name)).size).toBe(DEVICES.length);
    const bases = DEVICES.map((d) => d.base);
    expect(new Set(bases).size).toBe(bases.length);
    for (const b of bases) {
      expect(b % DEVICE_PAGE_BYTES).toBe(0);
      expect(b >= DEVICE_WINDOW_BASE && b + DEVICE_PAGE_BYTES <= DEVICE_WINDOW_END).toBe(true);
    }
    expect(DEVICE_BASE).toEqual(Object.fromEntries(DEVICES.map((d) => [d.name, d.base])));
  });

  it('is what the machine builds: each device mapped at its base and set as machine.<name>', () => {
    const m = new Machine(preset('uma-smp4'), { consoleInput: new Uint8Array([65]) });
    expect(m.bus.devices.map((d) => d.name)).toEqual([...DEVICES].sort((a, b) => a.base - b.base).map((d) => d.name));
    for (const d of DEVICES) {
      const device = (m as unknown as Record<string, unknown>)[d.name];
      expect(m.bus.devices).toContain(device);
      expect(m.bus.decodes(d.base)).toBe(true);
    }
    // typed accessors keep working, and the options reach the devices
    expect(m.console).toBeInstanceOf(ConsoleDevice);
    expect(m.bus.read32(0, DEVICE_BASE.console + 8)).toBe(65);
    expect(m.disk.capacity).toBe((m.config.diskSizeMB * 1024 * 1024) / 512);
    expect(Object.keys(m.bus.accesses)).toEqual(DEVICES.map((d) => d.name)); // the record's mmioAccesses order
  });

  it('docs/physical-address-map.md lists every device at its window, its registers and its interrupt line', () => {
    for (const d of DEVICES) {
      const end = d.base + DEVICE_PAGE_BYTES - 1;
      expect(DOC, `${d.name}: map row`).toContain(`| \`${hex(d.base)}\` – \`${hex(end)}\` | ${d.title} |`);
      expect(DOC, `${d.name}: kseg1 address`).toMatch(new RegExp(`\\| \`${hex(d.base)}\` – [^\\n]*\`${hex((0xa0000000 + d.base) >>> 0)}\``));
      expect(DOC, `${d.name}: register section`).toContain(`### ${d.name} — \`${hex(d.base)}\``);
      if (d.irq !== undefined) expect(DOC, `${d.name}: interrupt line`).toMatch(new RegExp(`\\n\\| ${d.irq} \\| IP${d.irq} \\| ${d.name}`, 'i'));
    }
    const next = Math.max(...DEVICES.map((d) => d.base)) + DEVICE_PAGE_BYTES;
    expect(DOC).toContain(`| \`${hex(next)}\` – \`${hex(DEVICE_WINDOW_END - 1)}\` | reserved for more devices`);
    // no stale rows: every window row of the map is a registered device or the reserved range
    const rows = [...DOC.matchAll(/^\| `(0x1F0[0-9A-F]{5})` – `0x[0-9A-F]{8}` \| ([^|]+) \|/gm)].map((r) => [r[1], r[2].trim()]);
    expect(rows).toEqual([...DEVICES.map((d) => [hex(d.base), d.title]), [hex(next), 'reserved for more devices (bus error today)']]);
  });
});
