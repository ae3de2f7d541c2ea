/** Tiny persisted settings of the desktop app (`<userData>/settings.json`): the last workspace. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFile } from '../workspace/atomic';

export interface Settings {
  lastWorkspace?: string;
}

export function loadSettings(userData: string): Settings {
  try {
    const v = JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8'));
    return typeof v === 'object' && v ? { lastWorkspace: typeof v.lastWorkspace === 'string' ? v.lastWorkspace : undefined } : {};
  } catch {
    return {};
  }
}

export async function saveSettings(userData: string, s: Settings): Promise<void> {
  await atomicWriteFile(join(userData, 'settings.json'), JSON.stringify(s, null, 2) + '\n').catch(() => {});
}
