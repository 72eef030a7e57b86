import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiError, type ChangeEvent, type Transport } from '../contract';
import { serve, subscriptionHandlers, type EventSource, type Handlers } from './serve';
import { serveWebSocketApi, type WebSocketApi } from './websocket-server';

const token = 'test-token-0123456789';
const listeners = new Set<(payload: ChangeEvent) => void>();
const events: EventSource = {
  on(_event, listener) {
    listeners.add(listener as (payload: ChangeEvent) => void);
    return () => listeners.delete(listener as (payload: ChangeEvent) => void);
  },
};
/** Args of every call `record.call` executed. */
const recorded: unknown[] = [];
const handlers = {
  events: subscriptionHandlers(),
  record: {
    call: (args: unknown) => {
      recorded.push(args);
      return 'recorded';
    },
  },
  echo: {
    say: (args: unknown) => args,
    fail: () => {
      throw new ApiError('CONFLICT', 'nope');
    },
  },
};

const serveTest = (transport: Transport) => serve(handlers as unknown as Handlers, transport, { events, eventNames: ['changed'] });

let server: Server;
let api: WebSocketApi;
let base: string;

beforeEach(async () => {
  recorded.length = 0;
  server = createServer((_req, res) => res.end('plain http'));
  api = serveWebSocketApi({ server, token, serve: serveTest });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await api.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Resolves with the socket once open, or with the HTTP status the upgrade was refused with. */
function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

async function call(ws: WebSocket, id: number, method: string, args: unknown) {
  const reply = nextMessage(ws);
  ws.send(JSON.stringify({ id, method, args }));
  return reply;
}

describe('serveWebSocketApi', () => {
  it('refuses an upgrade without the token or with a wrong one (401)', async () => {
    expect(await open(`${base}/api`)).toBe(401);
    expect(await open(`${base}/api?token=wrong`)).toBe(401);
    expect(await open(`${base}/api?token=${token}x`)).toBe(401);
  });

  it('refuses other paths (404)', async () => {
    expect(await open(`${base}/other?token=${token}`)).toBe(404);
  });

  it('refuses pages of other origins, even with the token (403)', async () => {
    expect(await open(`${base}/api?token=${token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await open(`${base}/api?token=${token}`, { Origin: 'http://127.0.0.1:1' })).toBe(403);
    // DNS rebinding: a foreign name resolving to 127.0.0.1 arrives with a foreign Host header.
    expect(await open(`${base}/api?token=${token}`, { Host: 'evil.example' })).toBe(403);
  });

  it('answers calls and pushes events for the right token and own origin', async () => {
    const ws = await open(`${base}/api?token=${token}`, { Origin: base.replace('ws:', 'http:') });
    if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
    expect(await call(ws, 1, 'echo.say', { hello: 'world' })).toEqual({ id: 1, ok: true, result: { hello: 'world' } });
    expect(await call(ws, 2, 'echo.fail', {})).toMatchObject({ id: 2, ok: false, error: { code: 'CONFLICT', message: 'nope' } });
    expect(await call(ws, 3, 'echo.__proto__', {})).toMatchObject({ id: 3, ok: false, error: { code: 'NOT_FOUND' } });

    // Events come by subscription: only the subscribed workspace's.
    expect(await call(ws, 4, 'events.subscribe', { event: 'changed', workspaceId: 'w' })).toMatchObject({ id: 4, ok: true });
    const pushed = nextMessage(ws);
    const elsewhere: ChangeEvent = { workspaceId: 'x', projectId: null, entity: 'project', ids: ['q'] };
    const change: ChangeEvent = { workspaceId: 'w', projectId: null, entity: 'project', ids: ['p'] };
    listeners.forEach((listener) => listener(elsewhere));
    listeners.forEach((listener) => listener(change));
    expect(await pushed).toEqual({ event: 'changed', payload: change });
    ws.close();
    await closed(ws);
  });

  it('closes only the socket that sends a malformed message', async () => {
    const good = await open(`${base}/api?token=${token}`);
    const bad = await open(`${base}/api?token=${token}`);
    if (typeof good === 'number' || typeof bad === 'number') throw new Error('refused');

    for (const garbage of ['{not json', '42', 'null', '[1,2]', '{"id":"x","method":1}']) {
      const victim = await open(`${base}/api?token=${token}`);
      if (typeof victim === 'number') throw new Error('refused');
      const code = closed(victim);
      victim.send(garbage);
      expect(await code).toBe(1007);
    }
    const code = closed(bad);
    bad.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await code).toBe(1007);

    expect(await call(good, 7, 'echo.say', 'still here')).toEqual({ id: 7, ok: true, result: 'still here' });
    good.close();
    await closed(good);
  });

  it('refuses a frame that is not exactly one of call, reply or event, before anything runs', async () => {
    const frames = [
      { event: 'x', method: 'record.call', args: { n: 1 } }, // passed as an event, then ran as a call
      { method: 'record.call', args: { n: 2 } },
      { id: null, method: 'record.call', args: { n: 3 } },
      { id: 1.5, method: 'record.call', args: { n: 4 } },
      { id: 5, event: 'x', method: 'record.call', args: { n: 5 } },
      { id: 6, ok: true, method: 'record.call', args: { n: 6 } },
      { id: 7, ok: true, result: null, event: 'x' },
      { id: 8, event: 'changed', payload: {} },
    ];
    for (const frame of frames) {
      const victim = await open(`${base}/api?token=${token}`);
      if (typeof victim === 'number') throw new Error('refused');
      const replies: unknown[] = [];
      victim.on('message', (data) => replies.push(JSON.parse(String(data))));
      const code = Promise.race([closed(victim), new Promise((resolve) => setTimeout(() => resolve('still open'), 2_000))]);
      victim.send(JSON.stringify(frame));
      expect({ frame, code: await code }).toEqual({ frame, code: 1007 });
      expect(replies).toEqual([]);
      victim.terminate();
    }
    expect(recorded).toEqual([]);

    // The same handler does run for a real call.
    const good = await open(`${base}/api?token=${token}`);
    if (typeof good === 'number') throw new Error('refused');
    expect(await call(good, 9, 'record.call', { n: 9 })).toEqual({ id: 9, ok: true, result: 'recorded' });
    expect(recorded).toEqual([{ n: 9 }]);
    good.close();
    await closed(good);
  });

  it('closes a socket that sends more than maxPayload, and no other', async () => {
    await api.close();
    api = serveWebSocketApi({ server, token, serve: serveTest, maxPayload: 1024 });
    const good = await open(`${base}/api?token=${token}`);
    const big = await open(`${base}/api?token=${token}`);
    if (typeof good === 'number' || typeof big === 'number') throw new Error('refused');
    const code = closed(big);
    big.send(JSON.stringify({ id: 1, method: 'echo.say', args: 'x'.repeat(4096) }));
    expect(await code).toBe(1009);
    expect(await call(good, 1, 'echo.say', 'ok')).toEqual({ id: 1, ok: true, result: 'ok' });
    good.close();
    await closed(good);
  });
});
