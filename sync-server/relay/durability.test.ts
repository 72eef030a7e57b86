/**
 * Durable before broadcast: the relay (a real child process) is killed with -9 in the middle of
 * a stream of updates; everything any client received from it is in its storage, and after a
 * restart on the same data dir the clients reconnect by themselves and converge.
 */
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openAdminAccess } from '../cli/admin-access';
import { openPgliteSql } from '../storage/pglite-sql';
import { RelayStore } from '../storage/relay-store';
import { cleanup, connectClient, synced, tempDir, waitFor } from '../testing/relay-fixtures';
import { kill9, type RelayProcess, spawnRelay } from '../testing/relay-process';

const running: RelayProcess[] = [];
afterAll(async () => {
  await cleanup();
  await Promise.all(running.map(kill9));
});

it('loses no broadcast update on kill -9, and clients reconnect and converge after a restart', async () => {
  const dataDir = tempDir();
  const first = await spawnRelay(['--port', '0', '--data-dir', dataDir]);
  running.push(first);

  const admin = await openAdminAccess({ dataDir }); // the relay is up: goes through its admin API
  const { workspace } = await admin.createWorkspace({ name: 'Durable' });
  const { token } = await admin.issueToken({ workspace: workspace.id, role: 'member' });
  await admin.close();

  const room = `${workspace.id}/stream`;
  const writer = connectClient(first.url, room, token);
  const reader = connectClient(first.url, room, token);
  await Promise.all([synced(writer), synced(reader)]);

  // Stream updates; kill the relay once the reader has received a good part of them.
  const items = writer.doc.getArray<number>('items');
  let written = 0;
  const stream = setInterval(() => items.push([written++]), 2);
  await waitFor('the reader to receive 200 updates', () => reader.doc.getArray('items').length >= 200);
  await kill9(first);
  const receivedBeforeKill = reader.doc.getArray<number>('items').toArray();
  await new Promise((r) => setTimeout(r, 100));
  clearInterval(stream); // the writer went on writing offline meanwhile

  // Storage, read directly while no relay runs: every update the relay broadcast is there.
  const store = await RelayStore.open(await openPgliteSql(join(dataDir, 'pglite')));
  const stored = new Y.Doc();
  for (const row of await store.roomLog(room)) Y.applyUpdate(stored, row.data);
  await store.close();
  const storedItems = new Set(stored.getArray<number>('items').toArray());
  expect(receivedBeforeKill.filter((i) => !storedItems.has(i))).toEqual([]);
  expect(receivedBeforeKill.length).toBeGreaterThanOrEqual(200);

  // Restart on the same data dir and port: the providers reconnect by themselves.
  const second = await spawnRelay(['--port', String(first.port), '--data-dir', dataDir]);
  running.push(second);
  await waitFor('both clients to reconnect', () => writer.provider.wsconnected && reader.provider.wsconnected && writer.provider.synced, 15_000);
  items.push([written++]);
  await waitFor('the reader to converge with the writer', () => reader.doc.getArray('items').length === written, 15_000);
  expect(reader.doc.getArray('items').toArray()).toEqual(items.toArray());

  const late = connectClient(second.url, room, token);
  await synced(late);
  await waitFor('a new client to get everything', () => late.doc.getArray('items').length === written);
});
