/**
 * The app reads the relay's HTTP replies through the shared schemas (sync-protocol/http-replies):
 * a reply this version does not understand is UNAVAILABLE naming the field, never a cast. A
 * loopback server on 127.0.0.1 plays a relay of another version.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Invite, readInviteReply, relayRequest, whoami } from './invite';

let server: Server;
let invite: Invite;
/** What the fake relay answers next: status and raw body. */
let reply: { status: number; body: string } = { status: 200, body: '{}' };

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(reply.body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  invite = { relayUrl: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't' };
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const answer = (status: number, body: unknown) => {
  reply = { status, body: typeof body === 'string' ? body : JSON.stringify(body) };
};
const whoamiBody = { workspace: 'w', workspaceName: 'Acme', role: 'member', jti: 'j', name: null, expiresAt: '2030-01-01T00:00:00.000Z' };

describe('relay replies', () => {
  it('reads a whoami reply that fits the schema', async () => {
    answer(200, { ...whoamiBody, addedLater: true });
    expect(await whoami(fetch, invite)).toEqual(whoamiBody);
  });

  it('refuses a whoami reply that does not, naming the field', async () => {
    answer(200, { ...whoamiBody, role: 'superuser' });
    await expect(whoami(fetch, invite)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(new RegExp(`^The relay at ${invite.relayUrl} answered something this version of Groundwork does not understand: role: `)),
    });
    answer(200, 'not json');
    await expect(whoami(fetch, invite)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('does not understand: (body): not JSON') });
  });

  it('reads the invite of a POST /v1/invites reply, and refuses one without it', async () => {
    const post = () => relayRequest(fetch, invite, '/v1/invites', { method: 'POST', body: '{}' });
    answer(201, { invite: 'groundwork://join?relay=x&token=y', token: 'y', jti: 'j' });
    expect((await readInviteReply(await post(), invite)).invite).toBe('groundwork://join?relay=x&token=y');
    answer(201, { token: 'y', jti: 'j' });
    await expect(readInviteReply(await post(), invite)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('does not understand: invite: ') });
  });

  it("shows a refusal's error, and the status text when its body is not the relay's", async () => {
    answer(403, { error: 'a member cannot invite a viewer' });
    await expect(whoami(fetch, invite)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'The relay refused: a member cannot invite a viewer' });
    answer(502, '<html>Bad gateway</html>');
    await expect(whoami(fetch, invite)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'The relay answered 502: Bad Gateway' });
  });
});
