/**
 * The web host seals relay tokens with a key file outside the data dir, so a restarted host opens
 * the tokens the previous run stored (before, a per-process key made them unreadable). Real
 * relay, real host, real PGlite data dir; the API is called over the host's WebSocket.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRelay, type RelayHandle } from '../../sync-server/relay/relay-server';
import { secretKeyFileFor, startWebHost, type WebHost } from './web-host';

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { code: string; message: string } };

let root: string;
let rendererDir: string;
let relay: RelayHandle;
const hosts: WebHost[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gw-host-secrets-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Groundwork</title>');
  relay = await startRelay({ port: 0, logger: 'silent' });
});

afterAll(async () => {
  for (const host of hosts) await host.close();
  await relay?.close();
  rmSync(root, { recursive: true, force: true });
});

async function start(dataDir: string, secretKeyFile: string): Promise<WebHost> {
  const host = await startWebHost({ port: 0, dataDir, rendererDir, secretKeyFile });
  hosts.push(host);
  return host;
}

async function stop(host: WebHost) {
  await host.close();
  hosts.splice(hosts.indexOf(host), 1);
}

/** One API call on its own socket; pushes (`{event}`) that arrive first are skipped. */
function call(host: WebHost, method: string, args: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method, args })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Reply | { event: string };
      if (!('id' in message)) return;
      resolve(message);
      ws.close();
    });
    ws.once('error', reject);
  });
}

async function result<T>(host: WebHost, method: string, args: unknown): Promise<T> {
  const reply = await call(host, method, args);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.result as T;
}

describe('web host secrets', () => {
  it('a relay token sealed by one run opens after a restart, and only with the same key file', async () => {
    const dataDir = join(root, 'data');
    const keyFile = join(root, 'config', 'groundwork', 'secret.key');

    const first = await start(dataDir, keyFile);
    const workspace = await result<{ id: string }>(first, 'workspaces.create', { name: 'Acme' });
    const { owner } = await relay.createWorkspace({ name: 'Acme', id: workspace.id });
    // Publishing stores the owner token, sealed with the key file's key.
    await result(first, 'sync.publish', { workspaceId: workspace.id, invite: owner.invite });
    expect(existsSync(keyFile)).toBe(true);
    await stop(first);

    // The key lives outside the data dir: a copy of the data dir carries no key.
    expect(readdirSync(dataDir, { recursive: true }).map(String).filter((f) => f.includes('secret'))).toEqual([]);

    // Creating an invite opens the stored token and shows it to the relay.
    const second = await start(dataDir, keyFile);
    const { invite } = await result<{ invite: string }>(second, 'sync.createInvite', { workspaceId: workspace.id, role: 'member' });
    expect(invite).toMatch(/^groundwork:\/\/join\?/);
    await stop(second);

    // Control: the same data dir under another key cannot open the token.
    const stranger = await start(dataDir, join(root, 'other', 'secret.key'));
    const refused = await call(stranger, 'sync.createInvite', { workspaceId: workspace.id, role: 'member' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toMatch(/could not be opened: it was sealed with another key/);
    await stop(stranger);
  });

  it('takes the key file from the option, then GROUNDWORK_KEY_FILE, then the per-user default', () => {
    expect(secretKeyFileFor('/a/key', { GROUNDWORK_KEY_FILE: '/b/key' })).toBe('/a/key');
    expect(secretKeyFileFor(undefined, { GROUNDWORK_KEY_FILE: '/b/key' })).toBe('/b/key');
    expect(secretKeyFileFor(undefined, {})).toMatch(/secret\.key$/);
  });
});
