/**
 * Standard Webhooks signing against the spec's test vectors (testing/standard-webhooks-vectors.json,
 * provenance in its README) and against the independent `standardwebhooks` package (not our code):
 * its `verify` accepts what we sign, also with two signatures during a rotation.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook, webhookHeaders } from './signing';

interface SignVector {
  name: string;
  secret: string;
  msg_id: string;
  timestamp: number;
  payload: string;
  expected_signature: string;
}
const vectors = JSON.parse(readFileSync(new URL('./testing/standard-webhooks-vectors.json', import.meta.url), 'utf8')) as { sign: SignVector[] };

describe('webhook signing', () => {
  it.each(vectors.sign.map((v) => [v.name, v] as const))('matches the spec vector: %s', (_name, vector) => {
    expect(signWebhook(vector.secret, vector.msg_id, vector.timestamp, vector.payload)).toBe(vector.expected_signature);
    // The prefix is optional in the key, as in the reference libraries.
    expect(signWebhook(vector.secret.replace(/^whsec_/, ''), vector.msg_id, vector.timestamp, vector.payload)).toBe(vector.expected_signature);
    // And the independent library signs the same.
    expect(new Webhook(vector.secret).sign(vector.msg_id, new Date(vector.timestamp * 1000), vector.payload)).toBe(vector.expected_signature);
  });

  it('new secrets are whsec_ + 24 random bytes, and standardwebhooks verifies what they sign', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(newWebhookSecret()).not.toBe(secret);
    const body = JSON.stringify({ type: 'task.created', timestamp: new Date().toISOString(), workspaceId: 'w', data: { a: 1 } });
    const headers = webhookHeaders([secret], 'msg_1', Math.floor(Date.now() / 1000), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('during a rotation both signatures are sent, space-separated, and each secret verifies alone', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const body = '{"type":"webhook.test"}';
    const headers = webhookHeaders([current, previous], 'msg_2', Math.floor(Date.now() / 1000), body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toEqual({ type: 'webhook.test' });
    expect(new Webhook(previous).verify(body, headers)).toEqual({ type: 'webhook.test' });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(/No matching signature/);
  });

  it('a changed body or id does not verify', () => {
    const secret = newWebhookSecret();
    const headers = webhookHeaders([secret], 'msg_3', Math.floor(Date.now() / 1000), '{"a":1}');
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
    expect(() => new Webhook(secret).verify('{"a":1}', { ...headers, 'webhook-id': 'msg_4' })).toThrow();
  });
});
