/**
 * Prometheus metrics of one relay instance. Each relay has its own registry (tests run several
 * relays in one process; the global default registry would mix them).
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

export class RelayMetrics {
  readonly registry = new Registry();
  readonly connections = new Gauge({ name: 'groundwork_relay_connections', help: 'Open WebSocket connections', registers: [this.registry] });
  readonly rooms = new Gauge({ name: 'groundwork_relay_rooms', help: 'Rooms loaded in memory', registers: [this.registry] });
  readonly messages = new Counter({
    name: 'groundwork_relay_messages_total',
    help: 'WebSocket messages, by direction (in|out)',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly bytes = new Counter({
    name: 'groundwork_relay_bytes_total',
    help: 'WebSocket payload bytes, by direction (in|out)',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly authRefused = new Counter({
    name: 'groundwork_relay_auth_refused_total',
    help: 'Upgrades and API calls refused for their token, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly socketsClosed = new Counter({
    name: 'groundwork_relay_sockets_closed_total',
    help: 'Sockets the relay closed, by reason (malformed, oversized, rate-limit, revoked, expired, slow-consumer, storage)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly viewerUpdatesDropped = new Counter({
    name: 'groundwork_relay_viewer_updates_dropped_total',
    help: 'Document updates sent by read-only (viewer) connections and dropped',
    registers: [this.registry],
  });
  readonly updatesPersisted = new Counter({
    name: 'groundwork_relay_updates_persisted_total',
    help: 'Update rows appended to storage (one row may hold several coalesced client updates)',
    registers: [this.registry],
  });

  constructor({ processMetrics = false } = {}) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  countOut(frameBytes: number, copies = 1): void {
    this.messages.inc({ direction: 'out' }, copies);
    this.bytes.inc({ direction: 'out' }, frameBytes * copies);
  }

  countIn(frameBytes: number): void {
    this.messages.inc({ direction: 'in' });
    this.bytes.inc({ direction: 'in' }, frameBytes);
  }
}
