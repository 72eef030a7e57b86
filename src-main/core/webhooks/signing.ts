/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, spec "Signature scheme"): the
 * `webhook-signature` header is a space-separated list of `v1,<base64 HMAC-SHA256>` over
 * `${webhook-id}.${webhook-timestamp}.${body}`, keyed by the base64-decoded part of `whsec_…`.
 * During a rotation's overlap both the new and the previous secret sign (receivers accept either).
 */
import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A new secret: 24 random bytes (192 bits, as Svix and the reference libraries make them), base64. */
export function newWebhookSecret(): string {
  return PREFIX + randomBytes(24).toString('base64');
}

/** The key bytes of a `whsec_…` secret (the prefix is optional, as in the reference libraries). */
function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

/** One `v1,…` signature of a message. `timestamp` is in unix seconds. */
export function signWebhook(secret: string, webhookId: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${webhookId}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers for a message, signed by every secret given (current first). */
export function webhookHeaders(secrets: readonly string[], webhookId: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signWebhook(secret, webhookId, timestamp, body)).join(' '),
  };
}
