/**
 * Electron main: thin on purpose (DESIGN.md, Processes). It owns windows, the menu and dialogs,
 * runs the core in a utilityProcess, gives each of our windows' main frames — and nothing
 * else — a MessagePort to it, serves the core the few things only main can do (the MainApi:
 * keychain, browser, notifications, folder dialogs, power events), and passes
 * `groundwork://join?…` invite links the OS opens us with to the window (to pre-fill, not to join).
 *
 *   --data-dir DIR   (or GROUNDWORK_DATA_DIR) where the replica lives; default shared with `npm run web`
 *   --demo           load the demo workspace if the data dir has none yet
 *   --user-data-dir  Electron's profile (window state, single-instance lock); for isolated test runs,
 *                    which therefore do not register as the OS handler of groundwork:// links
 *   groundwork://join?…  an invite link (Windows/Linux pass the clicked link this way)
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BrowserWindow, MessageChannelMain, Notification, app, dialog, ipcMain, powerMonitor, safeStorage, session, shell, type IpcMainEvent } from 'electron';
import { bridgeChannels } from '../../src-preload/bridge';
import { contentSecurityPolicy } from '../host/content-security-policy';
import { appDirName, defaultDataDir } from '../host/default-data-dir';
import { installAppMenu } from './app-menu';
import { appIndexUrl, appOrigin, appScheme, registerAppScheme, serveAppProtocol } from './app-protocol';
import { CoreSupervisor, type CoreStart } from './core-supervisor';
import { inviteFromArgv, inviteFromUrl } from './invite-link';
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
const core = new CoreSupervisor({
  entry: paths.coreEntry,
  dataDir,
  demo: args.demo === true,
  main: {
    safeStorage,
    platform: process.platform,
    openExternal: (url) => shell.openExternal(url),
    showNotification: (title, body) => new Notification({ title, body }).show(),
    async chooseFolder(title) {
      const focused = BrowserWindow.getFocusedWindow();
      const options = { title, properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
      const result = focused ? await dialog.showOpenDialog(focused, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    // After the core's call is answered (it resolves `backups.restore` first), never during it.
    restartCore: (request) => void setImmediate(() => void restartCore(request.restoreFrom)),
    onPower(event, listener) {
      // Two calls, not one with a union: Electron types each event's overload separately.
      if (event === 'resume') {
        powerMonitor.on('resume', listener);
        return () => powerMonitor.off('resume', listener);
      }
      powerMonitor.on('suspend', listener);
      return () => powerMonitor.off('suspend', listener);
    },
  },
  onCrash: (code) => void onCoreCrash(code),
});

/** An invite that no window has taken yet (it came before 'ready', or with no window open). */
let pendingInvite: string | null = null;

if (!app.requestSingleInstanceLock()) {
  // Another Groundwork is running on this profile; it gets focused (and any invite link in our
  // argv) via 'second-instance'.
  app.quit();
} else {
  registerAsInviteHandler();
  // Windows/Linux: a click on an invite link that starts the app puts the link in argv.
  pendingInvite = inviteFromArgv(process.argv);
  app.on('second-instance', (_event, argv) => {
    const invite = inviteFromArgv(argv);
    if (invite) return receiveInvite(invite);
    if (!app.isReady()) return;
    const win = [...windows][0];
    if (!win) return openWindow();
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // macOS sends links as 'open-url', also before 'ready' when a link starts the app: listen now.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    receiveInvite(url);
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
  deliverInvite();
  const result = await started;
  if (!result.ok) failStart(result);
}

function openWindow(): BrowserWindow {
  const win = createMainWindow({
    preload: paths.preload,
    url: devServerUrl ?? appIndexUrl,
    boundsFile: join(app.getPath('userData'), 'window-state.json'),
    onInvite: receiveInvite,
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  return win;
}

/**
 * Makes the OS open groundwork:// links with this app. Following Electron's deep-link docs: an
 * unpackaged app (`electron .`) registers the Electron binary plus the app's path. Packaged
 * builds also declare the scheme (macOS Info.plist CFBundleURLTypes, Linux .desktop MimeType).
 */
function registerAsInviteHandler() {
  if (userDataDir) return; // isolated (test) runs must not take links from the installed app
  const registered = process.defaultApp
    ? process.argv.length >= 2 && app.setAsDefaultProtocolClient(appScheme, process.execPath, [resolve(process.argv[1]!)])
    : app.setAsDefaultProtocolClient(appScheme);
  if (!registered) console.warn('Groundwork: could not register as the handler of groundwork:// links; paste invites in Settings → Team sync.');
}

/** A groundwork:// link from the OS, or clicked in one of our windows: kept only if it is an invite, then shown in a window. */
function receiveInvite(url: string) {
  const invite = inviteFromUrl(url);
  if (!invite) {
    console.warn('Groundwork: ignored a groundwork:// link that is not an invite (groundwork://join?relay=…&token=…)');
    return;
  }
  pendingInvite = invite;
  if (app.isReady()) deliverInvite();
}

/**
 * Sends the pending invite to the focused window (else our first, else a new one) once its page
 * has loaded. The page opens Settings → Team sync with the invite in the Join field; joining
 * still takes the person's click.
 */
function deliverInvite() {
  const invite = pendingInvite;
  if (!invite) return;
  pendingInvite = null;
  const focused = BrowserWindow.getFocusedWindow();
  const win = focused && windows.has(focused) ? focused : ([...windows][0] ?? openWindow());
  if (win.isMinimized()) win.restore();
  win.focus();
  const send = () => {
    if (win.isDestroyed()) return;
    // Only to our own page: the invite carries a relay token.
    const page = win.webContents.mainFrame;
    if (!isTrustedFrame({ url: page.url, isMainFrame: true, isOurWindow: windows.has(win) }, trustedOrigins)) return;
    win.webContents.send(bridgeChannels.invite, invite);
  };
  if (win.webContents.isLoading()) win.webContents.once('did-finish-load', send);
  else send();
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

/**
 * The core asked to be started again, restoring a backup first (`backups.restore`): the same steps
 * as the web host's restart (host/web-host.ts) — stop it (releasing the data-dir lock), start it
 * with the backup, and reload the windows so each asks for a port to the new core.
 */
async function restartCore(restoreFrom: string | undefined) {
  await core.stop();
  const result = await core.start({ restoreFrom });
  if (!result.ok) return failStart(result);
  for (const win of windows) win.webContents.reload();
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
