/**
 * Transports receive whatever a peer sends. `serve` and `connect` read fields off messages, so a
 * transport hands them only values shaped like a wire message; anything else is a protocol error
 * that ends that one connection (DESIGN.md: malformed input closes the offending socket only).
 */
import type { WireMessage } from '../contract';

export function asWireMessage(value: unknown): WireMessage | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const m = value as Record<string, unknown>;
  const isCall = Number.isSafeInteger(m.id) && typeof m.method === 'string';
  const isReply = Number.isSafeInteger(m.id) && typeof m.ok === 'boolean';
  const isEvent = typeof m.event === 'string';
  return isCall || isReply || isEvent ? (value as WireMessage) : null;
}
