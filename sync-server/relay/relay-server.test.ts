/**
 * The relay against stock y-websocket clients: sync and awareness, authorization at the upgrade,
 * read-only viewers, revocation, size limits, the HTTP API, compaction and room unloading.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { parseInvite, signToken } from '../auth/tokens';
import { decodeMessage, syncStep1Frame, updateFrame } from '../../src-main/sync-protocol/frames';
import { RelayStore } from '../storage/relay-store';
import { openPgliteSql } from '../storage/pglite-sql';
import { cleanup, connectClient, rawUpgrade, synced, tempDir, testRelay, waitFor, workspaceWithTokens } from '../testing/relay-fixtures';
import type { RelayHandle } from './relay-server';

let relay: RelayHandle;
let workspace: string;
let member: string, member2: string, viewer: string;
const room = (doc: string) => `${workspace}/${doc}`;
const http = (path: string) => relay.url.replace('ws://', 'http://') + path;
/** `POST /v1/invites` as the app sends it. */
const mint = (token: string, body: unknown) =>
  fetch(http('/v1/invites'), { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  relay = await testRelay({ maxMessageBytes: 64 * 1024 });
  const w = await workspaceWithTokens(relay, ['member', 'member', 'viewer']);
  workspace = w.workspace;
  [member, member2, viewer] = w.tokens.map((t) => t.token) as [string, string, string];
});
afterAll(cleanup);

describe('sync (y-websocket protocol)', () => {
  it('converges two clients, serves a late joiner everything, and sends it the awareness of clients already there', async () => {
    const a = connectClient(relay.url, room('converge'), member);
    const b = connectClient(relay.url, room('converge'), member2);
    await Promise.all([synced(a), synced(b)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    a.doc.getMap('tasks').set('t1', 'from a');
    b.doc.getMap('tasks').set('t2', 'from b');
    b.doc.getText('notes').insert(0, 'hello');
    await waitFor('a and b to converge', () => a.doc.getMap('tasks').size === 2 && b.doc.getMap('tasks').size === 2 && a.doc.getText('notes').toString() === 'hello');

    const late = connectClient(relay.url, room('converge'), member);
    await synced(late);
    expect(late.doc.getMap('tasks').toJSON()).toEqual({ t1: 'from a', t2: 'from b' });
    expect(late.doc.getText('notes').toString()).toBe('hello');
    await waitFor("the late joiner to receive Ada's presence", () =>
      [...late.provider.awareness.getStates().values()].some((s) => (s as { user?: { name?: string } }).user?.name === 'Ada'),
    );
  });

  it('sends a client each change once: nothing before its first step 1, and no reply repeats what it was sent', async () => {
    const raw = async (token: string) => {
      const ws = new WebSocket(`${relay.url}/${room('once')}?token=${token}`);
      const received: Uint8Array[] = []; // document updates, from replies and broadcasts alike
      let replies = 0;
      ws.on('message', (data: Buffer) => {
        const message = decodeMessage(new Uint8Array(data));
        if (message.type === 'sync-step-2' || message.type === 'update') received.push(message.update);
        if (message.type === 'sync-step-2') replies++;
      });
      await new Promise((r) => ws.once('open', r));
      return { ws, received, replies: () => replies };
    };
    const source = new Y.Doc();
    const tasks = source.getMap<string>('tasks');
    const writer = await raw(member);
    writer.ws.send(syncStep1Frame(Y.encodeStateVector(new Y.Doc())));
    const write = (from: number, to: number) => {
      const before = Y.encodeStateVector(source);
      source.transact(() => {
        for (let i = from; i < to; i++) tasks.set(`t${i}`, `task ${i}`);
        tasks.delete(`t${from - 1}`);
      });
      writer.ws.send(updateFrame(Y.encodeStateAsUpdate(source, before)));
    };
    write(0, 100);

    const reader = await raw(member2);
    write(100, 200); // broadcast while the reader has not asked: held back, its reply will carry it
    await new Promise((r) => setTimeout(r, 300));
    expect(reader.received).toHaveLength(0);

    reader.ws.send(syncStep1Frame(Y.encodeStateVector(new Y.Doc())));
    await waitFor('the reply', () => reader.replies() === 1);
    write(200, 300); // a broadcast, racing the stale step 1s below
    for (let i = 0; i < 3; i++) reader.ws.send(syncStep1Frame(Y.encodeStateVector(new Y.Doc()))); // as if sent before anything arrived
    await waitFor('every reply', () => reader.replies() === 4);
    write(300, 400);
    await waitFor('the last broadcast', () => reader.received.length === 6);

    // Each struct arrived in exactly one message, deletions may repeat; together they are the source.
    const seen = new Map<number, boolean[]>();
    for (const update of reader.received) {
      for (const struct of Y.decodeUpdate(update).structs) {
        const clocks = seen.get(struct.id.client) ?? [];
        seen.set(struct.id.client, clocks);
        for (let c = struct.id.clock; c < struct.id.clock + struct.length; c++) {
          expect(clocks[c], `struct ${struct.id.client}:${c} sent twice`).toBeUndefined();
          clocks[c] = true;
        }
      }
    }
    const copy = new Y.Doc();
    for (const update of reader.received) Y.applyUpdate(copy, update);
    expect(copy.getMap('tasks').toJSON()).toEqual(tasks.toJSON());
    writer.ws.close();
    reader.ws.close();
  });

  it('keeps rooms apart', async () => {
    const a = connectClient(relay.url, room('apart-1'), member);
    const b = connectClient(relay.url, room('apart-2'), member);
    await Promise.all([synced(a), synced(b)]);
    a.doc.getMap('m').set('k', 1);
    const c = connectClient(relay.url, room('apart-1'), member2);
    await waitFor('c to receive k', () => c.doc.getMap('m').get('k') === 1);
    expect(b.doc.getMap('m').size).toBe(0);
  });
});

describe('authorization at the upgrade', () => {
  const url = (doc: string, token?: string) => `${relay.url}/${room(doc)}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;

  it('refuses missing, malformed, forged, expired, revoked and wrong-workspace tokens before any data', async () => {
    const forged = (await signToken(new TextEncoder().encode('x'.repeat(32)), { workspace, role: 'owner' })).token;
    const expired = await relay.issueToken({ workspace, role: 'member', expiresIn: 1 });
    const revoked = await relay.issueToken({ workspace, role: 'member' });
    await relay.revokeToken(revoked.jti);
    const other = await workspaceWithTokens(relay, ['owner']);
    await new Promise((r) => setTimeout(r, 2100)); // let `expired` expire (exp has 1 s resolution)

    const cases: [string, string | undefined, number][] = [
      ['missing', undefined, 401],
      ['malformed', 'not-a-jwt', 401],
      ['forged (other secret)', forged, 401],
      ['expired', expired.token, 401],
      ['revoked', revoked.token, 401],
      ['wrong workspace', other.tokens[0]!.token, 403],
    ];
    for (const [what, token, status] of cases) {
      const result = await rawUpgrade(url('auth', token));
      expect({ what, status: result.status, messages: result.messages }).toEqual({ what, status, messages: 0 });
    }
    expect((await rawUpgrade(`${relay.url}/only-one-segment?token=${member}`)).status).toBe(404);
    expect((await rawUpgrade(url('auth', member))).status).toBe(101);
    expect(await relay.metricsText()).toMatch(/groundwork_relay_auth_refused_total\{reason="wrong-workspace"\} 1/);
  });

  it("drops a viewer's writes (never broadcast, never stored) while the viewer still receives everything", async () => {
    const writer = connectClient(relay.url, room('viewer'), member);
    const watcher = connectClient(relay.url, room('viewer'), member2);
    const reader = connectClient(relay.url, room('viewer'), viewer);
    await Promise.all([synced(writer), synced(watcher), synced(reader)]);
    reader.doc.getMap('m').set('viewer-wrote', true);
    writer.doc.getMap('m').set('member-wrote', true);
    await waitFor('the viewer to receive the member write', () => reader.doc.getMap('m').get('member-wrote') === true);
    await waitFor('the watcher to receive the member write', () => watcher.doc.getMap('m').get('member-wrote') === true);
    await new Promise((r) => setTimeout(r, 300));
    expect(watcher.doc.getMap('m').has('viewer-wrote')).toBe(false);
    expect(writer.doc.getMap('m').has('viewer-wrote')).toBe(false);
    // Storage: a fresh client (after the room is unloaded and reloaded) sees only the member's write.
    for (const client of [writer, watcher, reader]) client.destroy();
    await new Promise((r) => setTimeout(r, 500)); // roomIdleMs 200: unloaded
    const fresh = connectClient(relay.url, room('viewer'), member);
    await synced(fresh);
    expect(fresh.doc.getMap('m').toJSON()).toEqual({ 'member-wrote': true });
    expect(await relay.metricsText()).toMatch(/groundwork_relay_viewer_updates_dropped_total [1-9]/);
  });

  it("closes a revoked token's open connections within about a second, with code 4001", async () => {
    const doomed = await relay.issueToken({ workspace, role: 'member', name: 'doomed' });
    const client = connectClient(relay.url, room('revoke'), doomed.token);
    const bystander = connectClient(relay.url, room('revoke'), member);
    await Promise.all([synced(client), synced(bystander)]);
    const started = Date.now();
    await relay.revokeToken(doomed.jti);
    await waitFor('the revoked connection to close', () => client.closes.length > 0, 2000);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(client.closes[0]).toEqual({ code: 4001, reason: 'token revoked' });
    expect(bystander.provider.wsconnected).toBe(true);
  });
});

describe('limits', () => {
  it('closes only the socket that sends an oversized message', async () => {
    const healthy = connectClient(relay.url, room('limits'), member);
    await synced(healthy);
    const big = new WebSocket(`${relay.url}/${room('limits')}?token=${member}`);
    await new Promise((r) => big.once('open', r));
    const closed = new Promise<number>((r) => big.once('close', (code) => r(code)));
    big.on('error', () => {});
    big.send(new Uint8Array(65 * 1024));
    expect(await closed).toBe(1009);
    healthy.doc.getMap('m').set('still', 'works');
    const other = connectClient(relay.url, room('limits'), member2);
    await waitFor('the room to keep working', () => other.doc.getMap('m').get('still') === 'works');
    expect(healthy.provider.wsconnected).toBe(true);
  });

  it('closes a socket that exceeds its rate limit, and nothing else', async () => {
    const limited = await testRelay({ rateLimit: { messagesPerSecond: 10, burst: 20 } });
    const w = await workspaceWithTokens(limited, ['member']);
    const ws = new WebSocket(`${limited.url}/${w.workspace}/d?token=${w.tokens[0]!.token}`);
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    for (let i = 0; i < 50; i++) ws.send(Uint8Array.of(3)); // query-awareness, harmless
    expect(await closed).toBe(4029);
  });
});

describe('HTTP API', () => {
  it('answers probes, metrics, whoami, and lets owners and admins (only) mint member/viewer invites', async () => {
    expect((await fetch(http('/healthz'))).status).toBe(200);
    expect(await (await fetch(http('/readyz'))).json()).toEqual({ ok: true, storage: 'pglite' });
    const metrics = await (await fetch(http('/metrics'))).text();
    expect(metrics).toContain('groundwork_relay_connections');

    const owner = await relay.issueToken({ workspace, role: 'owner', name: 'Olga' });
    const whoami = await fetch(http('/v1/whoami'), { headers: { Authorization: `Bearer ${owner.token}` } });
    expect(await whoami.json()).toMatchObject({ workspace, role: 'owner', jti: owner.jti, name: 'Olga', workspaceName: 'Test workspace' });
    expect((await fetch(http('/v1/whoami'))).status).toBe(401);

    const created = await mint(owner.token, { role: 'viewer', name: 'Vic', expires: '7d' });
    expect(created.status).toBe(201);
    const invite = (await created.json()) as { invite: string; token: string; jti: string };
    expect(parseInvite(invite.invite)).toEqual({ relay: relay.publicUrl, token: invite.token });
    const joined = connectClient(relay.url, room('invite'), invite.token);
    await synced(joined);

    expect((await mint(member, { role: 'viewer' })).status).toBe(403);
    expect((await mint(owner.token, { role: 'admin' })).status).toBe(403);
    const bad = await mint(owner.token, { role: 'member', expires: 'soon' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/invalid duration "soon"/);
  });

  it('refuses an invite longer than ten years, or a name storage cannot hold, with a 400 naming the field', async () => {
    const owner = await relay.issueToken({ workspace, role: 'owner' });
    const refusal = async (body: unknown) => {
      const response = await mint(owner.token, body);
      return { status: response.status, error: ((await response.json()) as { error?: string }).error };
    };
    for (const expires of ['99999999999999999999d', '9999999999999999w', '3651d']) {
      expect(await refusal({ role: 'member', expires })).toEqual({
        status: 400,
        error: `invalid request body: expires: invalid duration "${expires}": at most 10 years (3650d)`,
      });
    }
    expect(await refusal({ role: 'member', name: 'Bo\u0000' })).toEqual({ status: 400, error: 'invalid request body: name: must not contain NUL characters' });
    expect((await mint(owner.token, { role: 'member', expires: '3650d' })).status).toBe(201);
  });
});

describe('storage', () => {
  it('compacts a room log into a snapshot and unloads empty rooms; a reload has everything', async () => {
    const dataDir = tempDir();
    const small = await testRelay({ dataDir, compactEvery: 10, roomIdleMs: 50 });
    const w = await workspaceWithTokens(small, ['member']);
    const a = connectClient(small.url, `${w.workspace}/log`, w.tokens[0]!.token);
    await synced(a);
    for (let i = 0; i < 35; i++) {
      a.doc.getArray('items').push([i]);
      await new Promise((r) => setTimeout(r, 5));
    }
    const expected = a.doc.getArray('items').toArray();
    await waitFor('the rows to persist', async () => (await small.metricsText()).includes('groundwork_relay_updates_persisted_total 35'));
    a.destroy();
    await waitFor('the room to unload', async () => /groundwork_relay_rooms 0/.test(await small.metricsText()));
    await small.close();

    const store = await RelayStore.open(await openPgliteSql(join(dataDir, 'pglite')));
    const rows = await store.roomLog(`${w.workspace}/log`);
    await store.close();
    expect(rows.length).toBeLessThan(10); // 35 appends, compacted every 10
    const doc = new Y.Doc();
    for (const row of rows) Y.applyUpdate(doc, row.data);
    expect(doc.getArray('items').toArray()).toEqual(expected);
  });
});
