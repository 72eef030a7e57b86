/**
 * Verifies received webhook requests with the independent `standardwebhooks` package (not our
 * signing code), at a test's fake "now": the library checks `webhook-timestamp` against
 * `Date.now()` (5 minutes' tolerance), so Date.now reads `now` for the (synchronous) calls.
 * Returns each verified payload; throws on the first that does not verify.
 */
import { Webhook } from 'standardwebhooks';
import type { Received } from './loopback-receiver';

export function verifySigned(received: readonly Received[], secret: string, now: () => number): unknown[] {
  const hook = new Webhook(secret);
  const realNow = Date.now;
  Date.now = now;
  try {
    return received.map((r) => hook.verify(r.body, r.headers));
  } finally {
    Date.now = realNow;
  }
}
