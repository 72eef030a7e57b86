/**
 * The web host: the core, the built renderer over HTTP and the API over a WebSocket, on
 * 127.0.0.1 only, guarded by a token that appears only in the URL printed at start-up. Used by
 * `npm run web`, by `npm start` where Electron cannot run, and by the end-to-end tests.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { EventEmitter } from 'node:events';
import { eventNames, type ApiEvents, type Notification } from '../contract';
import { createCore } from '../core/core';
import { nodeMain } from '../core/main/main-client';
import { loadDemoData } from '../core/demo/demo-data';
import { silentLogger, type Logger } from '../core/ports';
import { ephemeralSealer, keyFileSealer, type SecretSealer } from '../core/sync/secrets';
import { serve, type EventSource } from '../rpc/serve';
import { serveWebSocketApi } from '../rpc/websocket-server';
import { contentSecurityPolicy } from './content-security-policy';
import { defaultSecretKeyFile } from './default-data-dir';
import { staticFileHandler } from './static-server';

export interface WebHostOptions {
  /** 0 picks a free port. */
  port: number;
  /** `null` keeps the replica in memory (tests). */
  dataDir: string | null;
  /** Defaults to 32 random bytes, base64url. */
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
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const defaultRendererDir = resolve(import.meta.dirname, '..', '..', 'out', 'renderer');

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const logger = options.logger ?? silentLogger;
  const rendererDir = options.rendererDir ?? defaultRendererDir;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${join(rendererDir, 'index.html')} is missing): run \`npm run build\` first.`);
  }
  const token = options.token ?? randomBytes(32).toString('base64url');

  // Main's part in plain Node: the key-file sealer; links printed (no browser to open from
  // here); notifications pushed to the pages, which show them.
  const pageEvents = new EventEmitter();
  const main = nodeMain({
    sealer: secretsFor(options, logger),
    openExternal: (url) => logger.info({ url }, `open in your browser: ${url}`),
    notify: (notification: Notification) => pageEvents.emit('notification', notification),
  });
  const stopSleepWatch = watchForSleep((at) => main.emit('power.resumed', { at }));
  const core = await createCore({ dataDir: options.dataDir, logger, main: main.client }).catch((error: unknown) => {
    stopSleepWatch();
    main.close();
    throw error;
  });
  // The pages get the core's events and the host's notifications, each by subscription.
  const events: EventSource<ApiEvents> = {
    on(event, listener) {
      if (event !== 'notification') return core.events.on(event, listener);
      pageEvents.on(event, listener);
      return () => pageEvents.off(event, listener);
    },
  };
  const shutdown = async () => {
    stopSleepWatch();
    await core.close();
    main.close();
  };
  let server: Server | undefined;
  try {
    if (options.demo && (await loadDemoData(core.api))) logger.info('loaded the demo workspace');
    server = createServer(staticFileHandler(rendererDir, contentSecurityPolicy));
    const api = serveWebSocketApi({
      server,
      token,
      serve: (transport) => serve(core.handlers, transport, { events, eventNames, log: logger }),
      log: (level, msg) => logger[level](msg),
    });
    const port = await listen(server, options.port);
    const url = `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`;
    const httpServer = server;
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      token,
      close: () =>
        (closing ??= (async () => {
          await api.close();
          await closeServer(httpServer);
          await shutdown();
        })()),
    };
  } catch (error) {
    if (server?.listening) await closeServer(server);
    await shutdown();
    throw error;
  }
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
