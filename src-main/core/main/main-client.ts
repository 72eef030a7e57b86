/**
 * The core's line to "main": whatever hosts it and can do what plain Node cannot — Electron's
 * main process (safeStorage, the browser, notifications, dialogs, power events) or the web host.
 * Both serve the `MainApi` contract over the RPC the renderer uses; the core holds a client.
 *
 * `nodeMain` is that contract implemented in plain Node, served in-process: the web host's main
 * (with a key-file sealer), and the one tests and in-memory cores get (an ephemeral key). Its
 * parts are given in, so a test can record what the core asked of main.
 */
import { EventEmitter } from 'node:events';
import { ApiError, connect, type Client, type MainApi, type MainEventName, type MainEvents } from '../../contract';
import { inProcessPair } from '../../rpc/in-process';
import { ephemeralSealer, type SecretSealer } from '../sync/secrets';
import { serveMain } from './serve-main';

export type MainClient = Client<MainApi, MainEvents>;

/** What a plain-Node main does for each call; the defaults do the least that is still honest. */
export interface NodeMainParts {
  sealer?: SecretSealer;
  /** No browser to open from here: say where to go (the web host prints it). */
  openExternal?(url: string): void;
  /** No notification centre: the web host pushes it to its pages. */
  notify?(notification: { title: string; body: string }): void;
  /** No folder dialog in plain Node: null, as if cancelled, unless a test answers. */
  chooseFolder?(title: string | undefined): string | null;
  /** The OS account name; the real one unless a test says otherwise. */
  userName?(): string | null;
  /** Restarts the core (the web host; a test records it); without it a restart is refused. */
  restartCore?(request: { restoreFrom?: string }): void;
}

export interface NodeMain {
  client: MainClient;
  /** For the host to raise power events (the web host's sleep detector, tests). */
  emit<E extends MainEventName>(event: E, payload: MainEvents[E]): void;
  close(): void;
}

export function nodeMain(parts: NodeMainParts = {}): NodeMain {
  const sealer = parts.sealer ?? ephemeralSealer();
  const emitter = new EventEmitter();
  const [mainEnd, coreEnd] = inProcessPair();
  const stop = serveMain(mainEnd, {
    seal: (plaintext) => sealer.seal(plaintext),
    open: (sealed) => sealer.open(sealed),
    openExternal: (url) => parts.openExternal?.(url),
    showNotification: (notification) => parts.notify?.(notification),
    chooseFolder: (title) => parts.chooseFolder?.(title) ?? null,
    ...(parts.userName ? { userName: parts.userName } : {}),
    ...(parts.restartCore ? { restartCore: parts.restartCore } : {}),
    on(event, listener) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
  });
  const client = connect<MainApi, MainEvents>(coreEnd);
  return {
    client,
    emit: (event, payload) => emitter.emit(event, payload),
    close() {
      stop();
      client.close();
    },
  };
}

/** How long the core waits for main to seal or open a secret: a person may be answering a keychain prompt. */
export const secretTimeoutMs = 60_000;

/**
 * The core's SecretSealer: asks main (Electron: the OS keychain; web host: its key file). A call
 * that gets no answer ends as an error in words instead of never returning.
 */
export function mainSealer(main: MainClient, timeoutMs = secretTimeoutMs): SecretSealer {
  const ask = <T>(verb: string, call: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new ApiError(
              'UNAVAILABLE',
              `The desktop app did not ${verb} a team sync token in the system keychain within ${Math.round(timeoutMs / 1000)} s. ` +
                'If a keychain prompt is open, allow Groundwork and try again.',
            ),
          ),
        timeoutMs,
      );
      // A pending request must not keep a closing core process alive.
      timer.unref?.();
      call.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  return {
    seal: async (plaintext) => (await ask('store', main.api.secrets.seal({ plaintext }))).sealed,
    open: async (sealed) => (await ask('read', main.api.secrets.open({ sealed }))).plaintext,
  };
}
