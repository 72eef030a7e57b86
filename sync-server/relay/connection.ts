/**
 * One client WebSocket in one room: rate limiting, a guarded decode of every frame, backpressure
 * and the close codes the app shows. A bad frame closes this socket and nothing else.
 */
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import type { TokenClaims } from '../auth/tokens';
import type { RelayMetrics } from '../metrics/metrics';
import { CLOSE, closeName } from '../../src-main/sync-protocol/close-codes';
import { decodeMessage } from '../../src-main/sync-protocol/frames';
import type { Room, RoomClient } from '../rooms/room';

export interface RateLimit {
  /** Sustained messages per second a connection may send. */
  messagesPerSecond: number;
  /** Messages it may send at once above that rate (a reconnect's sync, a paste). */
  burst: number;
}

export interface ConnectionOptions {
  rateLimit: RateLimit;
  /** A client whose unsent backlog exceeds this is closed rather than buffered without bound. */
  maxBufferedBytes: number;
  metrics: RelayMetrics;
  logger: Logger;
}

export class Connection implements RoomClient {
  readonly role;
  private room: Room | null = null;
  private early: Uint8Array[] = []; // frames that arrived while the room was loading
  private tokens: number;
  private refilledAt = performance.now();

  constructor(
    readonly id: string,
    private readonly ws: WebSocket,
    readonly claims: TokenClaims,
    private readonly options: ConnectionOptions,
  ) {
    this.role = claims.role;
    this.tokens = options.rateLimit.burst;
    ws.on('message', (data, isBinary) => this.onFrame(data as Buffer, isBinary));
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** The room is loaded and this client joined it: process what arrived meanwhile. */
  attach(room: Room): void {
    this.room = room;
    const early = this.early;
    this.early = [];
    for (const frame of early) if (this.open) this.process(frame);
  }

  send(frame: Uint8Array): void {
    if (!this.open) return;
    if (this.ws.bufferedAmount > this.options.maxBufferedBytes) return this.close(CLOSE.slowConsumer.code, CLOSE.slowConsumer.reason, 'slow-consumer');
    this.ws.send(frame);
    this.options.metrics.countOut(frame.byteLength);
  }

  close(code: number, reason: string, metricReason = reasonOf(code)): void {
    if (this.ws.readyState === this.ws.CLOSED || this.ws.readyState === this.ws.CLOSING) return;
    this.options.metrics.socketsClosed.inc({ reason: metricReason });
    this.options.logger.info({ code, reason }, 'closing connection');
    this.ws.close(code, reason);
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (!this.open) return; // already being closed (e.g. after a malformed frame): read nothing more
    this.options.metrics.countIn(data.byteLength);
    if (!this.takeToken()) return this.close(CLOSE.rateLimited.code, CLOSE.rateLimited.reason, 'rate-limit');
    if (!isBinary) return this.close(CLOSE.malformed.code, 'text frames are not part of the protocol', 'malformed');
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (this.room) this.process(frame);
    else this.early.push(frame);
  }

  private process(frame: Uint8Array): void {
    try {
      this.room!.receive(this, decodeMessage(frame));
    } catch (error) {
      this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'malformed message');
      this.close(CLOSE.malformed.code, CLOSE.malformed.reason, 'malformed');
    }
  }

  /** Token bucket: `burst` at once, refilled at `messagesPerSecond`. */
  private takeToken(): boolean {
    const now = performance.now();
    const { messagesPerSecond, burst } = this.options.rateLimit;
    this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) / 1000) * messagesPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const reasonOf = (code: number): string => closeName(code) ?? String(code);
