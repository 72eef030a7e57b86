/**
 * The main window: locked-down web preferences, no navigation away from the app, no new windows
 * (http(s) links open in the user's browser, invite links in the Join form), and the size and
 * place it had last time.
 */
import { join } from 'node:path';
import { BrowserWindow, screen, shell } from 'electron';
import { routeLink } from './invite-link';
import { isReachable, readWindowBounds, writeWindowBounds, type WindowBounds } from './window-bounds';

export interface MainWindowOptions {
  preload: string;
  url: string;
  boundsFile: string;
  /** A groundwork://join invite link was clicked in the page. */
  onInvite(invite: string): void;
}

const defaultSize = { width: 1280, height: 820 };

/**
 * The title-bar and taskbar icon on Windows and Linux, copied beside the main bundle (out/main/)
 * by electron.vite.config.ts; this module is bundled into out/main/main.js, so that is
 * `import.meta.dirname` in dev and packaged runs alike. macOS shows the app bundle's .icns instead.
 */
function windowIcon(): string | undefined {
  if (process.platform === 'darwin') return undefined;
  return join(import.meta.dirname, process.platform === 'win32' ? 'icon.ico' : 'icon.png');
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = readWindowBounds(options.boundsFile);
  const reachable = saved && isReachable(saved, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...(reachable ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : defaultSize),
    minWidth: 480,
    minHeight: 360,
    show: false,
    title: 'Groundwork',
    icon: windowIcon(),
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Middle-click on a link is another way to ask for a window; the open handler denies it
      // anyway, this keeps the event from reaching page code at all.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
    },
  });
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const follow = (url: string) => {
    const route = routeLink(url);
    if (route.to === 'browser') void shell.openExternal(route.url);
    else if (route.to === 'join-form') options.onInvite(route.invite);
  };
  win.webContents.setWindowOpenHandler(({ url }) => {
    follow(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    // Reloads keep the URL; anything else would put a foreign page next to our preload.
    if (url === win.webContents.getURL()) return;
    event.preventDefault();
    follow(url);
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (url !== win.webContents.getURL()) event.preventDefault();
  });

  rememberBounds(win, options.boundsFile);
  void win.loadURL(options.url);
  return win;
}

/** Saves the window's normal (unmaximized) bounds, debounced while dragging, and once on close. */
function rememberBounds(win: BrowserWindow, file: string) {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    const bounds: WindowBounds = { ...win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      writeWindowBounds(file, bounds);
    } catch {
      // A read-only profile must not break the app; the window just opens at the default size.
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('move', later);
  win.on('resize', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', save);
}
