/**
 * Electron main process of Disco Lab.
 *
 *   electron out/main/index.js [--workspace DIR]
 *
 * One instance (a second launch focuses the first window). The window is sandboxed with
 * context isolation and no Node integration; its only bridge is the preload's `window.api`
 * (out/preload/index.cjs), bound here to the shared service via IPC. The renderer is served
 * from `app://disco-lab/` with the CSP of src/shared/csp.ts; in development (`npm run dev`)
 * from the Vite server given in ELECTRON_RENDERER_URL.
 */
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTRACT, bindService, type AppCommand } from '../shared/api';
import { bindIpc, emitToWindows } from './electron/ipc';
import { buildMenu } from './electron/menu';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './electron/protocol';
import { hardenApp, hardenSession, isAppUrl } from './electron/security';
import { loadSettings, saveSettings } from './electron/settings';
import { WorkspaceManager } from './service/manager';
import { createLabService } from './service/service';
import { defaultWorkspaceDir, prepareWorkspace, workspaceArg } from './workspace/location';

// out/main/index.js → the app root (repository, or app.asar when packaged).
const appRoot = fileURLToPath(new URL('../..', import.meta.url));
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  hardenApp(devUrl);
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      dialog.showErrorBox('Disco Lab could not start', e instanceof Error ? e.message : String(e));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  hardenSession(devUrl);
  serveRenderer(join(appRoot, 'out', 'renderer'));

  const userData = app.getPath('userData');
  const settings = loadSettings(userData);
  const explicit = workspaceArg(process.argv);
  const remembered = settings.lastWorkspace && existsSync(settings.lastWorkspace) ? settings.lastWorkspace : undefined;
  const workspace = resolve(explicit ?? remembered ?? defaultWorkspaceDir(userData));
  const examplesDir = join(appRoot, 'resources', 'examples');
  await prepareWorkspace(workspace, examplesDir);

  const manager = new WorkspaceManager(workspace, emitToWindows);
  const service = createLabService(manager, {
    host: 'electron',
    version: app.getVersion(),
    versions: { electron: process.versions.electron, chrome: process.versions.chrome },
    examplesDir,
    emit: emitToWindows,
    pickFolder: async ({ create }) => {
      const opts: Electron.OpenDialogOptions = {
        title: create ? 'New Workspace — choose an empty folder' : 'Open Workspace',
        buttonLabel: create ? 'Create Workspace' : 'Open Workspace',
        properties: ['openDirectory', 'createDirectory'],
      };
      const r = mainWindow ? await dialog.showOpenDialog(mainWindow, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? undefined : r.filePaths[0];
    },
    onWorkspaceOpened: (dir) => void saveSettings(userData, { ...settings, lastWorkspace: dir }),
  });
  const dispatch = bindService(CONTRACT, service, {
    onInternalError: (m, e) => console.error(`disco-lab: ${m}:`, e),
  });
  bindIpc(dispatch, (url) => isAppUrl(url, devUrl));

  const command = (c: AppCommand) => emitToWindows('onCommand', c);
  const openWorkspace = (create: boolean) => {
    void dispatch('workspace.open', [{ create }]).then((env) => {
      if (!env.ok && env.error.code !== 'E_CANCELLED') dialog.showErrorBox('Could not open the workspace', env.error.message);
    });
  };
  Menu.setApplicationMenu(
    buildMenu({
      command,
      newWorkspace: () => openWorkspace(true),
      openWorkspace: () => openWorkspace(false),
      about: () => showAbout(manager.current.root),
      isDev: Boolean(devUrl),
    }),
  );

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('before-quit', () => manager.close());
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Disco Lab',
    backgroundColor: '#1e1f22',
    webPreferences: {
      preload: join(appRoot, 'out', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  void mainWindow.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
}

function showAbout(workspace: string): void {
  const v = process.versions;
  const detail = [
    `Disco Lab ${app.getVersion()}`,
    `Electron ${v.electron}`,
    `Chromium ${v.chrome}`,
    `Node.js ${v.node}`,
    `V8 ${v.v8}`,
    `OS ${process.platform} ${process.arch}`,
    '',
    `Workspace: ${workspace}`,
  ].join('\n');
  const opts = { type: 'info' as const, title: 'About Disco Lab', message: 'Disco Lab', detail, buttons: ['OK'] };
  void (mainWindow ? dialog.showMessageBox(mainWindow, opts) : dialog.showMessageBox(opts));
}
