/**
 * The web host: the core, the built renderer over HTTP and the API over a WebSocket, on
 * 127.0.0.1 only, guarded by a token that appears only in the URL printed at start-up. Used by
 * `npm run web`, by `npm start` where Electron cannot run, and by the end-to-end tests.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createCore } from '../core/core';
import { loadDemoData } from '../core/demo/demo-data';
import { silentLogger, type Logger } from '../core/ports';
import { serveWebSocketApi } from '../rpc/websocket-server';
import { contentSecurityPolicy } from './content-security-policy';
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

  const core = await createCore({ dataDir: options.dataDir, logger });
  let server: Server | undefined;
  try {
    if (options.demo && (await loadDemoData(core.api))) logger.info('loaded the demo workspace');
    server = createServer(staticFileHandler(rendererDir, contentSecurityPolicy));
    const api = serveWebSocketApi({
      server,
      token,
      core,
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
          await core.close();
        })()),
    };
  } catch (error) {
    if (server?.listening) await closeServer(server);
    await core.close();
    throw error;
  }
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
