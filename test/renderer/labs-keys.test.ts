// The Labs view is reachable from the keyboard (Ctrl+Alt+P, ⌘+Alt+P on macOS), listed in the
// help, and from the desktop menu with the same accelerator.
import { describe, expect, it } from 'vitest';
import { commandForKey, SHORTCUTS } from '../../src/renderer/src/shortcuts';
import { APP_COMMANDS } from '../../src/shared/api';

const key = (k: Partial<KeyboardEvent>) => ({ ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, key: '', code: '', ...k });

describe('Labs shortcut', () => {
  it('Ctrl+Alt+P and Cmd+Alt+P open the Labs view; P alone or with Shift does not', () => {
    expect(commandForKey(key({ ctrlKey: true, altKey: true, key: 'p', code: 'KeyP' }))).toBe('view.labs');
    expect(commandForKey(key({ metaKey: true, altKey: true, key: 'π', code: 'KeyP' }))).toBe('view.labs');
    expect(commandForKey(key({ ctrlKey: true, key: 'p', code: 'KeyP' }))).toBeUndefined();
    expect(commandForKey(key({ ctrlKey: true, altKey: true, shiftKey: true, key: 'P', code: 'KeyP' }))).toBeUndefined();
    expect(APP_COMMANDS).toContain('view.labs');
    expect(SHORTCUTS.find((s) => s.command === 'view.labs')).toMatchObject({ keys: 'Ctrl+Alt+P' });
  });
});
