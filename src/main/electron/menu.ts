/**
 * The application menu. Menu items that act on the renderer (Save, theme, panel focus, the
 * shortcuts overlay) are sent as `onCommand` events; accelerators match the renderer's own key
 * handling in browser mode (docs/architecture.md, "Keyboard shortcuts").
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../shared/api';

export interface MenuActions {
  command(c: AppCommand): void;
  newWorkspace(): void;
  openWorkspace(): void;
  about(): void;
  isDev: boolean;
}

export function buildMenu(a: MenuActions): Menu {
  const isMac = process.platform === 'darwin';
  const cmd = (label: string, c: AppCommand, accelerator?: string): MenuItemConstructorOptions => ({ label, accelerator, click: () => a.command(c) });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Workspace…', click: a.newWorkspace },
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: a.openWorkspace },
        { type: 'separator' },
        cmd('New File…', 'file.new', 'CmdOrCtrl+Alt+N'),
        cmd('Save', 'file.save', 'CmdOrCtrl+S'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: '&Run', submenu: [cmd('Run…', 'run.start', 'F5'), cmd('Debug', 'run.debug', 'CmdOrCtrl+Alt+D')] },
    {
      label: '&View',
      submenu: [
        cmd('Files', 'view.focusFiles', 'CmdOrCtrl+Alt+1'),
        cmd('Editor', 'view.focusEditor', 'CmdOrCtrl+Alt+2'),
        cmd('Configuration', 'view.focusConfig', 'CmdOrCtrl+Alt+3'),
        cmd('Results', 'view.focusResults', 'CmdOrCtrl+Alt+4'),
        cmd('Show/Hide Results', 'view.toggleResults', 'CmdOrCtrl+J'),
        cmd('Labs', 'view.labs', 'CmdOrCtrl+Alt+P'),
        { type: 'separator' },
        cmd('Toggle Light/Dark Theme', 'view.toggleTheme', 'CmdOrCtrl+Alt+L'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(a.isDev ? ([{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
      ],
    },
    {
      label: '&Help',
      submenu: [cmd('Examples…', 'help.examples', 'CmdOrCtrl+Alt+E'), cmd('Keyboard Shortcuts', 'help.shortcuts', 'CmdOrCtrl+/'), { type: 'separator' }, { label: 'About Disco Lab', click: a.about }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
