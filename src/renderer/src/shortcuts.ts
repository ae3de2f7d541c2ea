/**
 * Keyboard shortcuts of the renderer. In Electron the application menu carries the same
 * accelerators and delivers them as `onCommand` events; in browser mode this key handler does.
 * Ctrl+Alt+digit is used for panels because plain Ctrl/Alt+digit switch browser tabs, and
 * Ctrl+Alt+N for a new file because browsers keep Ctrl+N (new window) for themselves.
 */
import type { AppCommand } from '../../shared/api';

export const SHORTCUTS: { keys: string; what: string; command: AppCommand }[] = [
  { keys: 'F5', what: 'Run: a program (.s) — bare metal, on the guest OS natively or under Disco; an experiment as it is', command: 'run.start' },
  { keys: 'Ctrl+Alt+D', what: 'Debug the active experiment (Debug view: F5 continue, F10 next, F11 step, Shift+F11 step out, F6 pause, Esc close)', command: 'run.debug' },
  { keys: 'Ctrl+S', what: 'Save the active file', command: 'file.save' },
  { keys: 'Ctrl+Alt+N', what: 'New file from a template', command: 'file.new' },
  { keys: 'Ctrl+Alt+1', what: 'Focus the file tree', command: 'view.focusFiles' },
  { keys: 'Ctrl+Alt+2', what: 'Focus the editor', command: 'view.focusEditor' },
  { keys: 'Ctrl+Alt+3', what: 'Focus the configuration panel', command: 'view.focusConfig' },
  { keys: 'Ctrl+Alt+4', what: 'Focus the results panel', command: 'view.focusResults' },
  { keys: 'Ctrl+J', what: 'Show or hide the results panel', command: 'view.toggleResults' },
  { keys: 'Ctrl+Alt+L', what: 'Toggle light/dark theme', command: 'view.toggleTheme' },
  { keys: 'Ctrl+Alt+E', what: 'Examples: the shipped workloads', command: 'help.examples' },
  { keys: 'Ctrl+Alt+P', what: 'Labs: the paper\'s figures beside ours, with shape checks', command: 'view.labs' },
  { keys: 'Ctrl+/', what: 'Show this help', command: 'help.shortcuts' },
];

/** Maps a keydown to a command, or undefined. Cmd counts as Ctrl on macOS. */
export function commandForKey(e: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'key' | 'code'>): AppCommand | undefined {
  const mod = e.ctrlKey || e.metaKey;
  if (e.key === 'F5' && !mod && !e.altKey && !e.shiftKey) return 'run.start';
  if (!mod || e.shiftKey) return undefined;
  if (!e.altKey) {
    if (e.key === 's' || e.key === 'S') return 'file.save';
    if (e.key === '/' || e.code === 'Slash') return 'help.shortcuts';
    if (e.code === 'KeyJ') return 'view.toggleResults';
    return undefined;
  }
  switch (e.code) {
    case 'Digit1': return 'view.focusFiles';
    case 'Digit2': return 'view.focusEditor';
    case 'Digit3': return 'view.focusConfig';
    case 'Digit4': return 'view.focusResults';
    case 'KeyL': return 'view.toggleTheme';
    case 'KeyN': return 'file.new';
    case 'KeyE': return 'help.examples';
    case 'KeyP': return 'view.labs';
    case 'KeyD': return 'run.debug';
    default: return undefined;
  }
}
