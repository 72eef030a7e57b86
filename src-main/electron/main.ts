/**
 * Electron main: thin on purpose (DESIGN.md, Processes). It owns windows, the menu and dialogs,
 * runs the core in a utilityProcess, and gives each of our windows' main frames — and nothing
 * else — a MessagePort to it.
 *
 *   --data-dir DIR   (or GROUNDWORK_DATA_DIR) where the replica lives; default shared with `npm run web`
 *   --demo           load the demo workspace if the data dir has none yet
 *   --user-data-dir  Electron's profile (window state, single-instance lock); for isolated test runs
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BrowserWindow, MessageChannelMain, app, dialog, ipcMain, session, type IpcMainEvent } from 'electron';
import { contentSecurityPolicy } from '../host/content-security-policy';
import { appDirName, defaultDataDir } from '../host/default-data-dir';
import { installAppMenu } from './app-menu';
import { appIndexUrl, appOrigin, registerAppScheme, serveAppProtocol } from './app-protocol';
import { CoreSupervisor, type CoreStart } from './core-supervisor';
import { createMainWindow } from './main-window';
import { isTrustedFrame, originOf } from './trusted-frame';

const here = import.meta.dirname;
const paths = {
  coreEntry: join(here, 'core-process.js'),
  preload: join(here, '..', 'preload', 'index.cjs'),
  renderer: join(here, '..', 'renderer'),
};

// electron-vite sets this only in `dev`; never honoured in a packaged app, where it would let an
// environment variable point our preload-carrying window at any site.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const devOrigin = devServerUrl ? originOf(devServerUrl) : null;
const trustedOrigins = devOrigin ? [devOrigin] : [appOrigin];

const { values: args } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'user-data-dir': { type: 'string' },
    demo: { type: 'boolean', default: false },
  },
  strict: false, // Chromium and Electron switches share argv with ours
  allowPositionals: true,
});
const dataDir = resolve(
  (typeof args['data-dir'] === 'string' && args['data-dir']) || process.env.GROUNDWORK_DATA_DIR || defaultDataDir(),
);

app.setName(appDirName);
const userDataDir = typeof args['user-data-dir'] === 'string' ? resolve(args['user-data-dir']) : null;
app.setPath('userData', userDataDir ?? join(app.getPath('appData'), appDirName));
registerAppScheme();

const windows = new Set<BrowserWindow>();
const core = new CoreSupervisor({ entry: paths.coreEntry, dataDir, demo: args.demo === true, onCrash: (code) => void onCoreCrash(code) });

if (!app.requestSingleInstanceLock()) {
  // Another Groundwork is running on this profile; it gets focused via 'second-instance'.
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = [...windows][0];
    if (!win) return openWindow();
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  void app.whenReady().then(onReady);
}

async function onReady() {
  lockDownSessions();
  if (!devServerUrl) serveAppProtocol(paths.renderer);
  installAppMenu({ dataDir });
  ipcMain.on('groundwork:connect', onConnect);

  const started = core.start();
  openWindow();
  const result = await started;
  if (!result.ok) failStart(result);
}

function openWindow() {
  const win = createMainWindow({
    preload: paths.preload,
    url: devServerUrl ?? appIndexUrl,
    boundsFile: join(app.getPath('userData'), 'window-state.json'),
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
}

/** A renderer asks for its port to the core: give it one only if it is our window's main frame. */
function onConnect(event: IpcMainEvent) {
  const frame = event.senderFrame;
  const win = BrowserWindow.fromWebContents(event.sender);
  const isOurWindow = win !== null && windows.has(win);
  const facts = frame && { url: frame.url, isMainFrame: isOurWindow && frame === win.webContents.mainFrame, isOurWindow };
  if (!frame || !isTrustedFrame(facts, trustedOrigins)) {
    console.warn(`Groundwork: refused a core connection from ${frame ? frame.url : 'a frame that is gone'}`);
    return;
  }
  const { port1, port2 } = new MessageChannelMain();
  core.connect(port1);
  frame.postMessage('groundwork:port', null, [port2]);
}

function lockDownSessions() {
  const ses = session.defaultSession;
  // No camera, microphone, geolocation…: nothing in the app needs a web permission.
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
  ses.setPermissionCheckHandler((_wc, permission) => permission === 'clipboard-sanitized-write');
  if (devOrigin) {
    // Production responses carry the CSP from the protocol handler; the dev server's need it added.
    ses.webRequest.onHeadersReceived({ urls: [`${devOrigin}/*`] }, (details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
    });
  }
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('activate', () => {
  if (windows.size === 0 && app.isReady()) openWindow();
});

// Quit waits for the core to close PGlite and release its lock (bounded by the supervisor).
let coreStopped = false;
app.on('before-quit', (event) => {
  if (coreStopped) return;
  event.preventDefault();
  void core.stop().finally(() => {
    coreStopped = true;
    app.quit();
  });
});

function failStart(result: Extract<CoreStart, { ok: false }>) {
  // UNAVAILABLE is the data-dir lock: its message already names the folder and what to do.
  const detail = result.code === 'UNAVAILABLE' ? result.message : `${result.message}\n\nThe terminal log has the details.`;
  dialog.showErrorBox('Groundwork could not open its data', detail);
  coreStopped = true;
  app.exit(1);
}

async function onCoreCrash(exitCode: number) {
  const { response } = await dialog.showMessageBox({
    type: 'error',
    message: 'The Groundwork core stopped unexpectedly.',
    detail: `It exited with code ${exitCode}. Your data is in ${dataDir}; changes saved before the stop are kept.`,
    buttons: ['Restart', 'Quit'],
    defaultId: 0,
    cancelId: 1,
  });
  if (response !== 0) {
    coreStopped = true;
    return app.quit();
  }
  const result = await core.start();
  if (!result.ok) return failStart(result);
  // Each reload runs the preload again, which asks for a port to the new core.
  for (const win of windows) win.webContents.reload();
}
