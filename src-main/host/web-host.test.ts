import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from './web-host';

let rendererDir: string;
let host: WebHost;

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'gw-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Groundwork</title>');
  host = await startWebHost({ port: 0, dataDir: null, rendererDir });
});

afterAll(async () => {
  await host?.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

function call(url: string, method: string, args: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method, args })));
    ws.once('message', (data) => {
      resolve(JSON.parse(String(data)));
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('startWebHost', () => {
  it('serves the app on 127.0.0.1 with the token in its URL', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Groundwork</title>');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('answers API calls from a real core over the WebSocket', async () => {
    const reply = await call(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, 'workspaces.list', {});
    expect(reply).toEqual({ id: 1, ok: true, result: [] });
    await expect(call(`ws://127.0.0.1:${host.port}/api?token=nope`, 'workspaces.list', {})).rejects.toThrow('401');
  });

  it('refuses to start without a built renderer, saying how to build it', async () => {
    await expect(startWebHost({ port: 0, dataDir: null, rendererDir: join(rendererDir, 'missing') })).rejects.toThrow(
      /npm run build/,
    );
  });
});
