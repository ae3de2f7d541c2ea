/**
 * The guest's console output of a prepared run, as new chunks since the last call: the machine
 * console natively, each VM's own console under Disco (as the run worker streams it).
 */
import type { PreparedRun } from '../../core/experiment/run';

export function consoleFeed(p: PreparedRun): () => { source: string; text: string }[] {
  const sent = new Map<string, number>();
  const decoder = new TextDecoder();
  return () => {
    const out: { source: string; text: string }[] = [];
    const vms = (p.monitor?.vms ?? []) as unknown as { name: string; consoleOut?: number[] }[];
    if (vms.length && vms.every((v) => Array.isArray(v.consoleOut))) {
      for (const v of vms) {
        const from = sent.get(v.name) ?? 0;
        if (v.consoleOut!.length > from) out.push({ source: v.name, text: decoder.decode(Uint8Array.from(v.consoleOut!.slice(from))) });
        sent.set(v.name, v.consoleOut!.length);
      }
    } else {
      const text = p.machine.console.text();
      const from = sent.get('machine') ?? 0;
      if (text.length > from) out.push({ source: 'machine', text: text.slice(from) });
      sent.set('machine', text.length);
    }
    return out;
  };
}
