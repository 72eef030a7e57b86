/**
 * The sync status follows the link: once any link of a workspace reaches the relay again, the
 * others stop waiting out their own back-off (each drew its own, up to 30 s), so the replica says
 * "connected" — and gets what it missed — as soon as the relay is back, not when the slowest timer
 * fires. Real relay, real cores; a TCP proxy in front of the relay cuts B's links.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startRelay, type RelayHandle } from '../../../sync-server/relay/relay-server';
import type { SyncStatus } from '../../contract';
import { createCore, type Core } from '../core';
import { eventually } from '../testing/team';

/** A loopback TCP proxy to `target` that can drop every connection and refuse new ones. */
async function cuttableProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  await open();
  return {
    get port() {
      return port;
    },
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server!.close(() => resolve());
      }),
    restore: open,
  };
}

let relay: RelayHandle | null = null;
const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  await relay?.close();
});

it('a replica reports "connected" and catches up as soon as one of its links is back, not after the others\' back-off', async () => {
  relay = await startRelay({ port: 0, logger: 'silent' });
  const a = await createCore({ dataDir: null });
  cores.push(a);
  const workspace = await a.api.workspaces.create({ name: 'Acme' });
  const { owner } = await relay.createWorkspace({ name: 'Acme', id: workspace.id });
  await a.api.sync.publish({ workspaceId: workspace.id, invite: owner.invite });
  const project = await a.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
  const task = await a.api.tasks.create({ projectId: project.id, title: 'Draft' });

  // B reaches the relay through the proxy; after a drop its links wait an hour before retrying,
  // so only something else can bring them back.
  const proxy = await cuttableProxy(relay.port);
  const b = await createCore({ dataDir: null, relayRetryDelayMs: () => 3_600_000 });
  cores.push(b);
  const member = await relay.issueToken({ workspace: workspace.id, role: 'member', name: 'Ben' });
  const invite = new URL(member.invite);
  invite.searchParams.set('relay', `ws://127.0.0.1:${proxy.port}`);
  await b.api.sync.join({ invite: invite.href });
  await eventually(() => b.api.tasks.list({ projectId: project.id }).catch(() => []), (tasks) => tasks.length === 1);

  const statuses: SyncStatus['state'][] = [];
  b.events.on('sync', (status) => statuses.push(status.state));
  await proxy.cut();
  await eventually(() => b.api.sync.status({ workspaceId: workspace.id }), (s) => s.state === 'offline');

  // While B is cut off, A edits; then the relay is reachable again and B starts a new project,
  // whose new link connects at once.
  await a.api.tasks.update({ id: task.id, title: 'Final copy' });
  await proxy.restore();
  statuses.length = 0;
  await b.api.projects.create({ workspaceId: workspace.id, name: 'Launch', key: 'LCH' });

  // The other links follow the new one: B gets A's edit and says so.
  await eventually(() => b.api.tasks.get({ id: task.id }), (t) => t.title === 'Final copy');
  await eventually(async () => statuses, (seen) => seen.at(-1) === 'connected');
  expect((await b.api.sync.status({ workspaceId: workspace.id })).state).toBe('connected');
  await proxy.cut();
});
