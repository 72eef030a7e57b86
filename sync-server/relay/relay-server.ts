/**
 * startRelay: the relay as a library (the CLI, tests and the app's tests all start it this way).
 * One HTTP server carries the probes and the JSON API, and the WebSocket upgrade, where the token
 * is checked before a single document byte is sent.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { authorize } from '../auth/authorize';
import { type CreatedWorkspace, type IssuedToken, type IssueTokenInput, RelayAdmin } from '../auth/relay-admin';
import { dataDirSecret, secretFromText } from '../auth/secret';
import { TokenError, type TokenClaims } from '../auth/tokens';
import { RelayMetrics } from '../metrics/metrics';
import { RoomRegistry } from '../rooms/room-registry';
import { type DataDirLock, lockDataDir } from '../storage/data-dir-lock';
import { openPgliteSql } from '../storage/pglite-sql';
import { openPostgresSql } from '../storage/postgres-sql';
import { parseAnnouncement, RelayStore, ROOM_UPDATES_CHANNEL } from '../storage/relay-store';
import type { Sql } from '../storage/sql';
import { CLOSE } from '../../src-main/sync-protocol/close-codes';
import { Connection, type RateLimit } from './connection';
import { handleHttp } from './http-routes';

export interface RelayOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Bind address; 127.0.0.1 unless you mean to serve other machines. */
  host?: string;
  /** PGlite data dir (also holds the secret file and the lock). Omitted without databaseUrl: in-memory PGlite. */
  dataDir?: string;
  /** Store everything in this Postgres instead of PGlite; instances on one database share rooms. */
  databaseUrl?: string;
  /** Signing secret (≥ 32 chars). Default: the data dir's secret file; in-memory: a random one. */
  secret?: string;
  /** The ws:// URL written into invites (behind a proxy or on 0.0.0.0). Default: the listening URL. */
  publicUrl?: string;
  /** Largest accepted WebSocket message; larger closes the socket (1009). Default 8 MiB. */
  maxMessageBytes?: number;
  rateLimit?: RateLimit;
  /** Compact a room's log into one snapshot after this many appended rows. Default 500. */
  compactEvery?: number;
  /** Unload a room this long after its last client left. Default 5 s. */
  roomIdleMs?: number;
  /** How often open connections' tokens are re-checked for revocation and expiry. Default 500 ms. */
  revocationCheckMs?: number;
  /** A pino logger, or a level for the default one (JSON on stderr). Default: RELAY_LOG_LEVEL or 'info'. */
  logger?: Logger | pino.Level | 'silent';
  /** Add Node process metrics (CPU, memory, event loop) to /metrics. Default false (tests run many relays). */
  processMetrics?: boolean;
}

export interface RelayHandle {
  /** ws://host:port the relay listens on. */
  url: string;
  port: number;
  /** The URL written into invites. */
  publicUrl: string;
  /** 'pglite' or 'postgres'. */
  storage: Sql['kind'];
  createWorkspace(input: { name: string; id?: string }): Promise<CreatedWorkspace>;
  issueToken(input: IssueTokenInput): Promise<IssuedToken>;
  revokeToken(jti: string): Promise<void>;
  /** Prometheus text, as /metrics serves it. */
  metricsText(): Promise<string>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_RATE_LIMIT: RateLimit = { messagesPerSecond: 500, burst: 2000 };
/** relay_settings key of the URL written into invites, kept from the last start. */
export const PUBLIC_URL_SETTING = 'public_url';
const ROOM_SEGMENT = /^[A-Za-z0-9._~-]{1,128}$/;

export async function startRelay(options: RelayOptions = {}): Promise<RelayHandle> {
  const logger = typeof options.logger === 'object' ? options.logger : defaultLogger(options.logger ?? (process.env.RELAY_LOG_LEVEL as pino.Level | undefined) ?? 'info');
  const instance = randomUUID();
  const metrics = new RelayMetrics({ processMetrics: options.processMetrics ?? false });

  // Storage and secret first: a relay that cannot store or sign must not listen.
  let lock: DataDirLock | null = null;
  let sql: Sql;
  if (options.databaseUrl) {
    sql = await openPostgresSql(options.databaseUrl);
  } else {
    lock = options.dataDir ? lockDataDir(options.dataDir) : null;
    try {
      sql = await openPgliteSql(options.dataDir ? join(options.dataDir, 'pglite') : undefined);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }
  const cleanups: (() => Promise<void> | void)[] = [() => sql.close(), () => lock?.release()];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0)) await fn();
  };

  try {
    const store = await RelayStore.open(sql);
    const secret = resolveSecret(options);
    const registry = new RoomRegistry(store, {
      compactEvery: options.compactEvery ?? 500,
      idleMs: options.roomIdleMs ?? 5000,
      instance: sql.kind === 'postgres' ? instance : null,
      metrics,
      onError: (err, context) => logger.error({ err }, context),
    });
    const connections = new Set<Connection>();
    let publicUrl = options.publicUrl ?? '';
    const admin = new RelayAdmin(store, secret, () => publicUrl, (jti) => closeWhere((c) => c.claims.jti === jti, CLOSE.revoked));

    function closeWhere(match: (c: Connection) => boolean, { code, reason }: { code: number; reason: string }) {
      for (const connection of connections) if (match(connection)) connection.close(code, reason);
    }

    const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES });
    const server = createServer((req, res) => {
      handleHttp({ store, secret, admin, metrics, logger }, req, res).catch((err) => {
        logger.error({ err }, 'http handler failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      socket.on('error', () => {}); // a peer resetting mid-handshake is not our error
      upgrade(req, socket, head).catch((err) => {
        logger.error({ err }, 'upgrade failed');
        refuse(socket, 500, 'internal error');
      });
    });

    async function upgrade(req: IncomingMessage, socket: Socket, head: Buffer) {
      const url = new URL(req.url ?? '/', 'http://relay');
      const segments = url.pathname.split('/').slice(1).map(decodeSafely);
      if (segments.length !== 2 || !segments.every((s) => s !== null && ROOM_SEGMENT.test(s))) {
        return refuse(socket, 404, 'no such room: connect to /<workspaceId>/<docId>');
      }
      const [workspace, doc] = segments as [string, string];
      let claims: TokenClaims;
      try {
        claims = await authorize(secret, store, url.searchParams.get('token'));
        if (claims.workspace !== workspace) throw new TokenError(`token is for workspace ${claims.workspace}, not ${workspace}`, 'wrong-workspace', 403);
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        metrics.authRefused.inc({ reason: error.reason });
        logger.info({ room: `${workspace}/${doc}`, reason: error.reason }, 'upgrade refused');
        return refuse(socket, error.status, error.message);
      }
      if (socket.destroyed) return;
      wss.handleUpgrade(req, socket, head, (ws) => {
        const id = randomBytes(6).toString('hex');
        const log = logger.child({ conn: id });
        const connection = new Connection(id, ws, claims, { rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT, maxBufferedBytes: 64 * 1024 * 1024, metrics, logger: log });
        const roomName = `${workspace}/${doc}`;
        connections.add(connection);
        metrics.connections.set(connections.size);
        log.info({ room: roomName, role: claims.role, jti: claims.jti }, 'connected');
        // "Last seen" in the app's members list: when the token last connected or disconnected.
        const touch = () => void store.touchToken(claims.jti).catch((err: unknown) => log.warn({ err }, 'could not record last seen'));
        touch();
        ws.on('error', (err) => log.info({ err: err.message }, 'socket error')); // e.g. over maxPayload: ws closes with 1009
        const joined = registry.join(roomName, connection);
        ws.on('close', (code) => {
          connections.delete(connection);
          metrics.connections.set(connections.size);
          log.info({ code }, 'disconnected');
          touch();
          void joined.then((room) => registry.leave(room, connection), () => {});
        });
        joined.then(
          (room) => connection.attach(room),
          (err) => {
            log.error({ err }, `could not load room ${roomName}`);
            connection.close(CLOSE.storage.code, CLOSE.storage.reason);
          },
        );
      });
    }

    // Expiry, and revocation from another process: re-check the tokens of open connections.
    // Revocations made through this relay close at once (admin above). On PGlite every revocation
    // comes through this relay (the CLI asks it over HTTP), so only Postgres needs the query, which
    // on PGlite would stall this thread every tick.
    const sweep = setInterval(() => {
      const now = Date.now() / 1000;
      closeWhere((c) => c.claims.exp !== null && c.claims.exp <= now, CLOSE.expired);
      if (sql.kind !== 'postgres' || connections.size === 0) return;
      const jtis = [...new Set([...connections].map((c) => c.claims.jti))];
      store.revokedAmong(jtis).then(
        (revoked) => closeWhere((c) => revoked.includes(c.claims.jti), CLOSE.revoked),
        (err) => logger.warn({ err }, 'revocation check failed'),
      );
    }, options.revocationCheckMs ?? 500);
    sweep.unref();
    cleanups.unshift(() => clearInterval(sweep));

    if (sql.listen) {
      // Scale-out: another instance appended to a room, or a client's presence changed there; the
      // instances that have the room loaded apply it.
      const unlisten = await sql.listen(
        ROOM_UPDATES_CHANNEL,
        (payload) => {
          const note = parseAnnouncement(payload);
          if (!note || note.instance === instance) return;
          registry.announced(note).catch((err) => logger.error({ err, room: note.room }, `applying an announced ${note.kind} failed`));
        },
        () => {
          logger.warn('the LISTEN connection to Postgres was lost and is back; re-reading the loaded rooms from storage');
          registry.catchUp().catch((err) => logger.error({ err }, 'catching up the loaded rooms failed'));
        },
      );
      cleanups.unshift(unlisten);
    }

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `ws://${host}:${address.port}`;
    publicUrl ||= url;
    lock?.setUrl(`http://${host}:${address.port}`);
    await store.setSetting(PUBLIC_URL_SETTING, publicUrl); // for invites minted by the CLI while the relay is down
    logger.info({ url, storage: sql.kind, instance }, 'relay listening');

    let closing: Promise<void> | null = null;
    return {
      url,
      port: address.port,
      publicUrl,
      storage: sql.kind,
      createWorkspace: (input) => admin.createWorkspace(input),
      issueToken: (input) => admin.issueToken(input),
      revokeToken: (jti) => admin.revokeToken(jti),
      metricsText: () => metrics.registry.metrics(),
      close: () =>
        (closing ??= (async () => {
          const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
          await registry.closeAll(); // persists what is queued, closes clients with 1001
          for (const client of wss.clients) client.terminate();
          server.closeAllConnections();
          await stopped;
          await cleanup();
          logger.info('relay stopped');
        })()),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Issues a token on a running relay (for tests and tools that start one programmatically). */
export function issueToken(relay: Pick<RelayHandle, 'issueToken'>, input: IssueTokenInput): Promise<IssuedToken> {
  return relay.issueToken(input);
}

/** JSON lines on stderr, so stdout carries only what the CLI prints for people and scripts. */
function defaultLogger(level: pino.Level | 'silent'): Logger {
  return level === 'silent' ? pino({ level }) : pino({ level }, pino.destination(2));
}

function resolveSecret(options: RelayOptions): Uint8Array {
  if (options.secret !== undefined) return secretFromText(options.secret, 'the relay secret');
  if (options.dataDir) return dataDirSecret(options.dataDir);
  if (options.databaseUrl) {
    throw new Error('a relay on Postgres needs RELAY_SECRET (the same for every instance) or a --data-dir to keep a generated one');
  }
  return new TextEncoder().encode(randomBytes(32).toString('base64url')); // in-memory: lives and dies with it
}

function decodeSafely(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function refuse(socket: Socket, status: number, message: string): void {
  if (socket.destroyed) return;
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Internal Server Error';
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
