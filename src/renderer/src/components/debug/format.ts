/** Number formats of the Debug view. */
import type { ThreadRef } from '../../../../shared/debug/types';

export const hex8 = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');
export const hex = (n: number) => '0x' + (n >>> 0).toString(16);
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
export const threadKey = (t: ThreadRef) => ('cpu' in t ? `cpu:${t.cpu}` : `vcpu:${t.vcpu}`);
export const parseThreadKey = (k: string): ThreadRef => (k.startsWith('cpu:') ? { cpu: Number(k.slice(4)) } : { vcpu: Number(k.slice(5)) });
/** A source path as the workspace shows it: the part from `programs/`, `kernel/` or the file name. */
export const shortFile = (f: string) => { const m = /(?:^|\/)((?:programs|kernel|guest)\/.*)$/.exec(f); return m ? m[1] : f.split('/').pop() ?? f; };
/** `0x…` hex or decimal; undefined if neither. */
export function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  if (/^[0-9]+$/.test(t)) return Number(t);
  return undefined;
}
