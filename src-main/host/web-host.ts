/**
 * The web host: the core, the built renderer over HTTP and the API over a WebSocket, on
 * 127.0.0.1 only, guarded by a token that appears only in the URL printed at start-up. Used by
 * `npm run web`, by `npm start` where Electron cannot run, and by the end-to-end tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { EventEmitter } from 'node:events';
import { ApiError, eventNames, type ApiEvents, type Notification } from '../contract';
import { createCore } from '../core/core';
import { nodeMain } from '../core/main/main-client';
import { loadDemoData, type DemoResult } from '../core/demo/demo-data';
import type { JobType } from '../core/jobs/job-type';
import { silentLogger, type Logger } from '../core/ports';
import { ephemeralSealer, keyFileSealer, readOrCreateSecretFile, type SecretSealer } from '../core/sync/secrets';
import { serve, type EventSource } from '../rpc/serve';
import { serveWebSocketApi, type WebSocketApi } from '../rpc/websocket-server';
import { contentSecurityPolicy } from './content-security-policy';
import { defaultSecretKeyFile } from './default-data-dir';
import { staticFileHandler } from './static-server';

export interface WebHostOptions {
  /** 0 picks a free port. */
  port: number;
  /**
   * When `port` is taken: true takes the next free one (a default port), false refuses to start
   * with a message naming it (a port the person chose).
   */
  orNextFreePort?: boolean;
  /** `null` keeps the replica in memory (tests). */
  dataDir: string | null;
  /**
   * Defaults to the data dir's own token (`webTokenFor`): kept beside the key file, so a restarted
   * host takes the tabs it served before back. In memory: 32 random bytes, base64url.
   */
  token?: string;
  demo?: boolean;
  /** The built renderer; defaults to out/renderer of this checkout. */
  rendererDir?: string;
  /**
   * The key that seals relay tokens (created on first use). Defaults to GROUNDWORK_KEY_FILE, else
   * the per-user `defaultSecretKeyFile()`. Unused when `dataDir` is null: nothing is stored.
   */
  secretKeyFile?: string;
  logger?: Logger;
  /** Job types beside the built-in ones (end-to-end tests register small test types). */
  jobTypes?: readonly JobType[];
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  /** Things the person starting it should know, one line each (another port taken, the demo). */
  notes: string[];
  close(): Promise<void>;
}

export const defaultRendererDir = resolve(import.meta.dirname, '..', '..', 'out', 'renderer');

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const logger = options.logger ?? silentLogger;
  const rendererDir = options.rendererDir ?? defaultRendererDir;
  const notes: string[] = [];
  // The port first: a taken port is known in milliseconds, before seconds of database set-up.
  const staticFiles = staticFileHandler(rendererDir, contentSecurityPolicy);
  let api: WebSocketApi | undefined;
  const server = createServer((req, res) => {
    if (!api?.answerProbe(req, res)) staticFiles(req, res);
  });
  const port = await listenOnFreePort(server, options.port, options.orNextFreePort ?? false);
  if (options.port !== 0 && port !== options.port) notes.push(`port ${options.port} is in use, so this Groundwork uses ${port}.`);
  let token: string;
  try {
    if (!existsSync(join(rendererDir, 'index.html'))) {
      throw new Error(`The renderer is not built (${join(rendererDir, 'index.html')} is missing): run \`npm run build\` first.`);
    }
    token = options.token ?? (options.dataDir === null ? randomBytes(32).toString('base64url') : webTokenFor(options.dataDir, secretKeyFileFor(options.secretKeyFile)));
  } catch (error) {
    await closeServer(server);
    throw error;
  }

  // Main's part in plain Node: the key-file sealer; links printed (no browser to open from
  // here); notifications pushed to the pages, which show them.
  const pageEvents = new EventEmitter();
  // Set once the core exists: main's `app.restart` (a restore) swaps the core behind the sockets.
  let restartHook: ((restoreFrom: string | undefined) => void) | null = null;
  const main = nodeMain({
    sealer: secretsFor(options, logger),
    openExternal: (url) => logger.info({ url }, `open in your browser: ${url}`),
    notify: (notification: Notification) => pageEvents.emit('notification', notification),
    restartCore: ({ restoreFrom }) => {
      if (!restartHook) throw new ApiError('UNAVAILABLE', 'Groundwork is shutting down; it cannot restart now.');
      restartHook(restoreFrom);
    },
  });
  const stopSleepWatch = watchForSleep((at) => main.emit('power.resumed', { at }));
  const coreFor = (restoreFrom?: string) => createCore({
      dataDir: options.dataDir,
      logger,
      main: main.client,
      jobTypes: options.jobTypes,
      restoreFrom,
      github: { clientId: process.env.GROUNDWORK_GITHUB_CLIENT_ID },
    });
  let core = await coreFor().catch(async (error: unknown) => {
    stopSleepWatch();
    main.close();
    await closeServer(server);
    throw error;
  });
  // The pages get the core's events and the host's notifications, each by subscription. Sockets
  // are served by the core of the moment (a restart closes them all, so none outlives its core).
  const events: EventSource<ApiEvents> = {
    on(event, listener) {
      if (event !== 'notification') return core.events.on(event, listener);
      pageEvents.on(event, listener);
      return () => pageEvents.off(event, listener);
    },
  };
  const serveApi = () =>
    serveWebSocketApi({
      server,
      token,
      // A closed tab's presence ends with its socket (other tabs of this person keep theirs).
      serve: (transport) => serve(core.handlers, transport, { events, eventNames, log: logger, onEnd: core.connectionEnded }),
      log: (level, msg) => logger[level](msg),
    });
  /**
   * `backups.restore` asked for a new core on a restored replica: close every socket (tabs see
   * the core go and reconnect with back-off; meanwhile upgrades find no listener and the probe
   * answers nothing, so they keep trying), close the core (releasing the data-dir lock), start a
   * new one with the backup to restore, and take sockets again. Electron main does the same with
   * its utility process (electron/main.ts `restartCore`).
   */
  let restarting: Promise<void> | null = null;
  const restartCore = (restoreFrom: string | undefined) => {
    restarting ??= (async () => {
      // The call that asked is answered in microtasks of its own turn; a macrotask later its
      // reply is on the socket, ahead of the close frame.
      await new Promise((done) => setImmediate(done));
      const socketApi = api;
      api = undefined;
      await socketApi?.close();
      await core.close();
      core = await coreFor(restoreFrom);
      api = serveApi();
      logger.info({ restoreFrom }, 'the core restarted');
    })()
      .catch((error: unknown) => logger.error({ err: error }, 'the core could not be started again; restart Groundwork'))
      .finally(() => (restarting = null));
  };
  restartHook = restartCore;
  const shutdown = async () => {
    stopSleepWatch();
    await restarting;
    await core.close();
    main.close();
  };
  try {
    if (options.demo) notes.push(describeDemo(await loadDemoData(core.api)));
    api = serveApi();
    const url = `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`;
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      token,
      notes,
      close: () =>
        (closing ??= (async () => {
          restartHook = null;
          await restarting;
          await api?.close();
          api = undefined;
          await closeServer(server);
          await shutdown();
        })()),
    };
  } catch (error) {
    await closeServer(server);
    await shutdown();
    throw error;
  }
}

function describeDemo(result: DemoResult): string {
  return result.loaded
    ? `added the demo workspace "${result.workspace.name}" and switched to it.`
    : `the demo workspace "${result.workspace.name}" is already here: switched to it (rename or leave it to load a fresh one).`;
}

/**
 * The web host's token for a data dir: made once and kept beside the key file (per data dir,
 * named by a hash of its path), never inside the data dir — like the key, it must not travel
 * with a copy of the data. The same token on every start is what lets an open tab reconnect
 * after `npm start` was stopped and started again.
 */
export function webTokenFor(dataDir: string, keyFile: string): string {
  const name = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 32);
  return readOrCreateSecretFile(join(dirname(keyFile), 'web-tokens', `${name}.token`), () => randomBytes(32).toString('base64url'));
}

/** The key file that seals this host's relay tokens, by precedence: option, environment, per-user default. */
export function secretKeyFileFor(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(option || env.GROUNDWORK_KEY_FILE || defaultSecretKeyFile());
}

function secretsFor(options: WebHostOptions, logger: Logger): SecretSealer {
  // An in-memory replica keeps no tokens across restarts, so a key that dies with it is enough.
  if (options.dataDir === null) return ephemeralSealer();
  const keyFile = secretKeyFileFor(options.secretKeyFile);
  const inside = relative(resolve(options.dataDir), keyFile);
  if (!inside.startsWith('..') && !isAbsolute(inside)) {
    logger.warn({ keyFile }, 'the secret key file is inside the data dir: a copy of the data dir then carries the key to its relay tokens');
  }
  return keyFileSealer(keyFile);
}

/**
 * Plain Node has no power events: a timer that fires much later than it should means the machine
 * slept (or the process was stopped), so the host says it resumed. Checked every 5 s.
 */
function watchForSleep(onResume: (at: string) => void, everyMs = 5_000, slackMs = 30_000): () => void {
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - last > everyMs + slackMs) onResume(new Date(now).toISOString());
    last = now;
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** How many ports after a taken default one are tried before any free port (0) is taken. */
const NEXT_PORTS_TRIED = 20;

async function listenOnFreePort(server: Server, port: number, orNextFreePort: boolean): Promise<number> {
  const candidates = orNextFreePort && port !== 0 ? [...Array.from({ length: NEXT_PORTS_TRIED }, (_, i) => port + i).filter((p) => p <= 65535), 0] : [port];
  for (const candidate of candidates) {
    try {
      return await listen(server, candidate);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && orNextFreePort) continue;
      if (code === 'EADDRINUSE') {
        throw new Error(`port ${port} on 127.0.0.1 is already in use (another Groundwork, or another program): stop that program, or choose another port with --port ${port === 65535 ? port - 1 : port + 1} (or --port 0 for any free one).`);
      }
      if (code === 'EACCES') throw new Error(`port ${port} needs more permissions than this user has: choose one above 1023 with --port.`);
      throw error;
    }
  }
  throw new Error(`no free port on 127.0.0.1 from ${port} on`);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    // Loopback only: the API is a full remote control of the user's data.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}
