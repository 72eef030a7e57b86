/**
 * The serving side of the MainApi, written once: every host — Electron main, the web host, a test's
 * fake — supplies what it can do (`MainHost`), and this turns it into validated handlers and
 * subscribed events on one transport to the core.
 */
import { userInfo } from 'node:os';
import { ApiError, mainEventNames, mainInputs, type MainApi, type MainEvents, type Transport } from '../../contract';
import { serve, subscriptionHandlers, type EventSource } from '../../rpc/serve';
import { validatedHandlers } from '../validate';

export interface MainHost {
  seal(plaintext: string): Promise<string>;
  open(sealed: string): Promise<string>;
  openExternal(url: string): Promise<void> | void;
  showNotification(notification: { title: string; body: string }): void;
  /** The chosen folder, or null when the person cancels (or no dialog can be shown). */
  chooseFolder(title: string | undefined): Promise<string | null> | string | null;
  /** Power events as the host learns them (powerMonitor, a sleep detector). */
  on: EventSource<MainEvents>['on'];
  /** The OS account's name; defaults to `osUserName()` (Electron main and plain Node alike). */
  userName?(): string | null;
  /**
   * Accepts a restart of the core (restoring `restoreFrom` first) and starts it after this call
   * has been answered. A host without it (tests, an in-memory core) refuses with UNAVAILABLE.
   */
  restartCore?(request: { restoreFrom?: string }): void;
}

/** This process's OS account name, or null where there is none (a container without a passwd entry). */
export function osUserName(): string | null {
  try {
    return userInfo().username.trim() || null;
  } catch {
    return null;
  }
}

export function serveMain(transport: Transport, host: MainHost, log?: { debug(obj: object, msg?: string): void }): () => void {
  const handlers = {
    secrets: {
      seal: async ({ plaintext }: { plaintext: string }) => ({ sealed: await host.seal(plaintext) }),
      open: async ({ sealed }: { sealed: string }) => ({ plaintext: await host.open(sealed) }),
    },
    shell: {
      openExternal: async ({ url }: { url: string }) => {
        await host.openExternal(url);
      },
    },
    notify: {
      show: async (notification: { title: string; body: string }) => host.showNotification(notification),
    },
    dialog: {
      chooseFolder: async ({ title }: { title?: string }) => ({ path: await host.chooseFolder(title) }),
    },
    system: {
      userName: async () => ({ name: (host.userName ?? osUserName)() }),
    },
    app: {
      restart: async (request: { restoreFrom?: string }) => {
        if (!host.restartCore) throw new ApiError('UNAVAILABLE', 'This host cannot restart the Groundwork core (it runs in memory or inside a test).');
        host.restartCore(request);
      },
    },
    events: subscriptionHandlers(),
  } satisfies { [NS in keyof MainApi]: Record<keyof MainApi[NS], unknown> };
  return serve<MainEvents>(validatedHandlers(mainInputs, handlers), transport, { events: { on: host.on }, eventNames: mainEventNames, log });
}
