/**
 * Test factories for the relay: a real relay on port 0 (in memory or on a temp data dir), real
 * y-websocket clients, and bounded waits. Everything cleans up after itself (`cleanup()`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Role } from '../storage/relay-store';
import { type RelayHandle, type RelayOptions, startRelay } from '../relay/relay-server';

const cleanups: (() => Promise<void> | void)[] = [];

/** Runs every registered cleanup, newest first. Call from afterEach/afterAll. */
export async function cleanup(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

export function tempDir(prefix = 'groundwork-relay-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function testRelay(options: RelayOptions = {}): Promise<RelayHandle> {
  const relay = await startRelay({ logger: 'silent', roomIdleMs: 200, ...options });
  cleanups.push(() => relay.close());
  return relay;
}

/** A workspace with a token per requested role. */
export async function workspaceWithTokens(relay: RelayHandle, roles: Role[] = ['member']) {
  const { workspace, owner } = await relay.createWorkspace({ name: 'Test workspace' });
  const tokens = await Promise.all(roles.map((role) => relay.issueToken({ workspace: workspace.id, role, name: role })));
  return { workspace: workspace.id, owner, tokens };
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close codes the provider saw, in order. */
  closes: { code: number; reason: string }[];
  destroy(): void;
}

export function connectClient(serverUrl: string, room: string, token: string, { connect = true } = {}): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect,
    maxBackoffTime: 300,
  });
  const closes: TestClient['closes'] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  const client = {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
  cleanups.push(() => client.destroy());
  return client;
}

/** Polls `check` until it returns true, failing with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const synced = (client: TestClient, timeoutMs?: number) => waitFor('the client to sync', () => client.provider.synced, timeoutMs);

/**
 * A raw WebSocket attempt: resolves with the HTTP status of a refused upgrade (and whether any
 * message arrived), or 101 once open.
 */
export function rawUpgrade(url: string): Promise<{ status: number; messages: number; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    let messages = 0;
    ws.on('message', () => messages++);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, messages, body }));
    });
    ws.on('open', () => {
      setTimeout(() => {
        ws.close();
        resolve({ status: 101, messages, body: '' });
      }, 100);
    });
    ws.on('error', () => {});
  });
}
