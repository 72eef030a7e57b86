/**
 * The core's API over WebSocket, for the web host: attached to an HTTP server on 127.0.0.1, one
 * `serve` per socket. The upgrade is the only door, so it is checked there: the right path, a
 * token matching the one printed at start-up, and — because any web page the user visits can open
 * a socket to 127.0.0.1 — an Origin (and Host, against DNS rebinding) naming this very server.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { transportEnds, type Transport, type WireMessage } from '../contract';
import { asWireMessage } from './wire-guard';

export interface WebSocketApiOptions {
  server: Server;
  path?: string;
  token: string;
  /** Serves the API on one socket's transport (calls and subscribed events); returns its stop. */
  serve(transport: Transport): () => void;
  maxPayload?: number;
  log?: (level: 'info' | 'warn', msg: string) => void;
}

export interface WebSocketApi {
  /**
   * Answers a plain HTTP GET of the API path with what the upgrade would say (204 when the socket
   * would be accepted, else 401/403): a browser never learns why a WebSocket was refused, so a page
   * asks here whether its token is wrong (then retrying is pointless) or the host is just away.
   * Returns false for any other request.
   */
  answerProbe(req: IncomingMessage, res: ServerResponse): boolean;
  /** Closes every socket (code 1001) and stops accepting new ones; the HTTP server is left alone. */
  close(): Promise<void>;
}

/** 1007: "invalid frame payload data" — the peer sent something that is not a wire message. */
const closeMalformed = 1007;

export function serveWebSocketApi(options: WebSocketApiOptions): WebSocketApi {
  const { server, token, log } = options;
  const path = options.path ?? '/api';
  const expectedToken = digest(token);
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 16 * 1024 * 1024 });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(req, path, expectedToken, server.address());
    if (refusal) {
      log?.('warn', `refused a WebSocket upgrade: ${refusal.reason}`);
      socket.end(`HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const transport = webSocketTransport(ws, log);
      const stop = options.serve(transport);
      transport.onClose?.(stop);
    });
  };
  server.on('upgrade', onUpgrade);

  return {
    answerProbe(req, res) {
      if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== path) return false;
      const refusal = checkUpgrade(req, path, expectedToken, server.address());
      res.writeHead(refusal ? Number.parseInt(refusal.status, 10) : 204, { 'Cache-Control': 'no-store' }).end();
      return true;
    },
    close: () =>
      new Promise((resolve) => {
        server.off('upgrade', onUpgrade);
        for (const ws of wss.clients) ws.close(1001, 'server shutting down');
        wss.close(() => resolve());
      }),
  };
}

function checkUpgrade(
  req: IncomingMessage,
  path: string,
  expectedToken: Buffer,
  address: AddressInfo | string | null,
): { status: string; reason: string } | null {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== path) return { status: '404 Not Found', reason: `path ${url.pathname}` };
  const port = typeof address === 'object' && address ? address.port : null;
  const ownHosts = port === null ? [] : [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!ownHosts.includes(req.headers.host ?? '')) {
    return { status: '403 Forbidden', reason: `Host ${req.headers.host ?? '(none)'}` };
  }
  // Browsers always send Origin; a client without one (a script using `ws`) still needs the token.
  const origin = req.headers.origin;
  if (origin !== undefined && !ownHosts.some((host) => origin === `http://${host}`)) {
    return { status: '403 Forbidden', reason: `Origin ${origin}` };
  }
  const given = url.searchParams.get('token');
  if (!given || !timingSafeEqual(digest(given), expectedToken)) {
    return { status: '401 Unauthorized', reason: 'missing or wrong token' };
  }
  return null;
}

/** Hashing first gives timingSafeEqual equal lengths without leaking the token's length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function webSocketTransport(ws: WebSocket, log: WebSocketApiOptions['log']): Transport {
  const ends = transportEnds({
    send(message) {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    close() {
      ws.close(1000);
    },
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const message = isBinary ? null : parse(data);
    if (!message) {
      log?.('warn', 'closing a WebSocket that sent a malformed message');
      ws.close(closeMalformed, 'malformed message');
      return;
    }
    ends.deliver(message);
  });
  ws.on('close', (code) => ends.end(`socket closed (${code})`));
  // Errors (oversized frames, protocol violations) are followed by 'close'; without a listener
  // they would be thrown and take the whole host down.
  ws.on('error', (error) => log?.('warn', `WebSocket error: ${error.message}`));
  return ends.transport;
}

function parse(data: RawData): WireMessage | null {
  try {
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    return asWireMessage(JSON.parse(bytes.toString('utf8')));
  } catch {
    return null;
  }
}
