/**
 * Transports receive whatever a peer sends. `serve` and `connect` read fields off messages, so a
 * transport hands them only values shaped like a wire message; anything else is a protocol error
 * that ends that one connection (DESIGN.md: malformed input closes the offending socket only).
 *
 * A message is exactly one kind: a call `{id, method, args}`, a reply `{id, ok, result | error}` or
 * an event `{event, payload}`. A `method` without a valid id, or mixed with `ok` or `event`, is
 * malformed — otherwise a frame could pass as an event and still be executed as a call.
 */
import type { CallMessage, WireMessage } from '../contract';

export type WireKind = 'call' | 'reply' | 'event';

export function wireKind(value: unknown): WireKind | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const m = value as Record<string, unknown>;
  const hasId = Number.isSafeInteger(m.id);
  const kinds: WireKind[] = [];
  if ('method' in m) kinds.push('call');
  if ('ok' in m) kinds.push('reply');
  if ('event' in m) kinds.push('event');
  if (kinds.length !== 1) return null;
  const [kind] = kinds;
  if (kind === 'call') return hasId && typeof m.method === 'string' ? kind : null;
  if (kind === 'reply') return hasId && typeof m.ok === 'boolean' ? kind : null;
  return typeof m.event === 'string' && !('id' in m) ? 'event' : null;
}

export function asWireMessage(value: unknown): WireMessage | null {
  return wireKind(value) ? (value as WireMessage) : null;
}

/** Only a well-formed call is ever dispatched, whatever transport (guarded or not) carried it. */
export function isWellFormedCall(message: unknown): message is CallMessage {
  return wireKind(message) === 'call';
}
