/**
 * Two connected transports in one process. Messages are cloned through JSON, so tests see exactly
 * what a real wire would carry (no shared objects, no Dates).
 */
import type { Transport, WireMessage } from '../contract';

export function inProcessPair(): [Transport, Transport] {
  const handlers: [Set<(m: WireMessage) => void>, Set<(m: WireMessage) => void>] = [new Set(), new Set()];
  const end = (mine: 0 | 1): Transport => ({
    send(message) {
      const copy = JSON.parse(JSON.stringify(message)) as WireMessage;
      queueMicrotask(() => handlers[mine === 0 ? 1 : 0].forEach((h) => h(copy)));
    },
    onMessage(handler) {
      handlers[mine].add(handler);
      return () => handlers[mine].delete(handler);
    },
  });
  return [end(0), end(1)];
}
