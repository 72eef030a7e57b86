/**
 * Presence in web mode ends with the person's last tab: the web host drops a tab's presence when
 * its socket closes, and several tabs of one person count once. Real relay, a real web host
 * (in-memory replica) with tabs as WebSocket clients, and a teammate's real core.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRelay, type RelayHandle } from '../../sync-server/relay/relay-server';
import { createCore, type Core } from '../core/core';
import { eventually } from '../core/testing/team';
import { startWebHost, type WebHost } from './web-host';

let root: string;
let relay: RelayHandle;
let host: WebHost;
let teammate: Core;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gw-host-presence-'));
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><title>Groundwork</title>');
  relay = await startRelay({ port: 0, logger: 'silent' });
  host = await startWebHost({ port: 0, dataDir: null, rendererDir: join(root, 'renderer') });
  teammate = await createCore({ dataDir: null });
});

afterAll(async () => {
  await teammate?.close();
  await host?.close();
  await relay?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A browser tab of the host: one socket, calls answered in order. */
async function openTab() {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let nextId = 1;
  return {
    async call<T>(method: string, args: unknown): Promise<T> {
      const id = nextId++;
      ws.send(JSON.stringify({ id, method, args }));
      for (;;) {
        const data = await new Promise<WebSocket.RawData>((resolve) => ws.once('message', (message) => resolve(message)));
        const reply = JSON.parse(String(data)) as { id?: number; ok: boolean; result?: T; error?: { message: string } };
        if (reply.id !== id) continue; // an event
        if (!reply.ok) throw new Error(reply.error?.message);
        return reply.result as T;
      }
    },
    close: () => new Promise<void>((resolve) => ws.once('close', () => resolve()).close()),
  };
}

it("a person's presence lasts while any of their tabs is open, counts once, and ends with the last", async () => {
  const first = await openTab();
  await first.call('profile.update', { displayName: 'Alice' });
  const workspace = await first.call<{ id: string }>('workspaces.create', { name: 'Acme' });
  const { owner } = await relay.createWorkspace({ name: 'Acme', id: workspace.id });
  await first.call('sync.publish', { workspaceId: workspace.id, invite: owner.invite });
  const project = await first.call<{ id: string }>('projects.create', { workspaceId: workspace.id, name: 'Website' });
  await teammate.api.profile.update({ displayName: 'Ben' });
  await teammate.api.sync.join({ invite: (await relay.issueToken({ workspace: workspace.id, role: 'member' })).invite });

  const second = await openTab();
  await first.call('sync.setPresence', { workspaceId: workspace.id, projectId: project.id, taskId: null });
  await second.call('sync.setPresence', { workspaceId: workspace.id, projectId: null, taskId: null });
  const peersOfBen = () => teammate.api.sync.presence({ workspaceId: workspace.id }).then((p) => p.peers);

  // Two tabs, one person: Alice once, where she looked last.
  const both = await eventually(peersOfBen, (peers) => peers.length === 1 && peers[0]!.projectId === null);
  expect(both.map((p) => p.name)).toEqual(['Alice']);

  // The tab she looked at last closes: she is still there, as the other tab sees things.
  await second.close();
  await eventually(peersOfBen, (peers) => peers.length === 1 && peers[0]!.projectId === project.id);

  // Her last tab closes: she is gone for Ben (while her Groundwork keeps running).
  await first.close();
  await eventually(peersOfBen, (peers) => peers.length === 0);
});
