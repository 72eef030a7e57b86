/**
 * The WebSocket close codes the relay sends (4000–4999 are application-defined; the others are
 * standard), and for the app the sentence it shows after a close that retrying cannot fix.
 */
export const CLOSE = {
  goingAway: { code: 1001, reason: 'relay shutting down' },
  malformed: { code: 1007, reason: 'malformed message' },
  tooBig: { code: 1009, reason: 'message too big' }, // sent by ws itself (maxPayload)
  storage: { code: 1011, reason: 'storage unavailable, reconnect' },
  revoked: { code: 4001, reason: 'token revoked' },
  expired: { code: 4002, reason: 'token expired' },
  rateLimited: { code: 4029, reason: 'rate limit exceeded' },
  slowConsumer: { code: 4030, reason: 'client too slow to keep up' },
} as const;

export type CloseName = keyof typeof CLOSE;

/** Closes after which reconnecting cannot help until the person acts, in their words. */
const FINAL: Partial<Record<CloseName, string>> = {
  revoked: 'Your access token was revoked by the workspace owner.',
  expired: 'Your access token has expired; ask for a new invite.',
};

/** The sentence for a final close, or null when the app should reconnect. */
export function finalCloseMessage(code: number): string | null {
  const name = closeName(code);
  return (name && FINAL[name]) ?? null;
}

/** The name of a close code the relay sends (for metrics and logs), or null for any other. */
export function closeName(code: number): CloseName | null {
  return (Object.keys(CLOSE) as CloseName[]).find((name) => CLOSE[name].code === code) ?? null;
}
