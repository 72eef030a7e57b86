/**
 * Scale-out on a real Postgres: two relay instances (separate pools and LISTEN connections) serve
 * the same room; a client on each converges, through append → NOTIFY {room, seq, instance} →
 * the other instance reads the row and broadcasts it. Also: presence shared the same way, a lost
 * LISTEN connection recovered without losing an update, the same schema and SQL as PGlite,
 * revocation seen by every instance, and /readyz naming the backend.
 */
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanup, connectClient, synced, testRelay, waitFor, type TestClient } from '../testing/relay-fixtures';
import { startTestPostgres, type TestPostgres } from '../testing/postgres-server';
import type { RelayHandle } from './relay-server';

let postgres: TestPostgres;
let a: RelayHandle, b: RelayHandle;
const secret = 'scale-out-test-secret-with-at-least-32-chars';

beforeAll(async () => {
  postgres = await startTestPostgres();
  // Both start at once: one migrates, the other waits on the migrations lock.
  [a, b] = await Promise.all([testRelay({ databaseUrl: postgres.url, secret }), testRelay({ databaseUrl: postgres.url, secret })]);
});
afterAll(async () => {
  await cleanup();
  await postgres?.stop();
});

it('converges clients on two instances sharing one Postgres, and a late joiner on either gets everything', async () => {
  const { workspace } = await a.createWorkspace({ name: 'Scaled' });
  const { token } = await b.issueToken({ workspace: workspace.id, role: 'member' }); // one store: issued on b, valid on a
  const room = `${workspace.id}/board`;
  const onA = connectClient(a.url, room, token);
  const onB = connectClient(b.url, room, token);
  await Promise.all([synced(onA), synced(onB)]);

  for (let i = 0; i < 50; i++) {
    onA.doc.getArray('a').push([i]);
    onB.doc.getArray('b').push([i]);
  }
  onA.doc.getText('t').insert(0, 'from A ');
  onB.doc.getText('t').insert(0, 'from B ');
  const view = (doc: typeof onA.doc) => ({ a: doc.getArray('a').toJSON(), b: doc.getArray('b').toJSON(), t: doc.getText('t').toString() });
  const same = () => JSON.stringify(view(onA.doc)) === JSON.stringify(view(onB.doc));
  await waitFor('both instances to converge', () => onA.doc.getArray('b').length === 50 && onB.doc.getArray('a').length === 50 && same());

  const late = connectClient(b.url, room, token);
  await synced(late);
  expect(view(late.doc)).toEqual(view(onA.doc));
  expect(view(late.doc).t).toMatch(/^(from A from B |from B from A )$/);
  expect(await (await fetch(a.url.replace('ws://', 'http://') + '/readyz')).json()).toEqual({ ok: true, storage: 'postgres' });
});

it('closes a token revoked on one instance on the other instance too', async () => {
  const { workspace } = await a.createWorkspace({ name: 'Revocation' });
  const issued = await a.issueToken({ workspace: workspace.id, role: 'member' });
  const onB = connectClient(b.url, `${workspace.id}/doc`, issued.token);
  await synced(onB);
  await a.revokeToken(issued.jti);
  await waitFor('instance b to close the revoked connection', () => onB.closes.length > 0, 2000);
  expect(onB.closes[0]!.code).toBe(4001);
});

/** The names in a client's view of the room's presence (its own included). */
const present = (client: TestClient) =>
  [...client.provider.awareness.getStates().values()].map((s) => (s as { user?: { name?: string } }).user?.name).filter(Boolean).sort();

it('shares presence across instances: who is there when a room loads, who joins, who leaves', async () => {
  const { workspace } = await a.createWorkspace({ name: 'Presence' });
  const { token } = await a.issueToken({ workspace: workspace.id, role: 'member' });
  const room = `${workspace.id}/board`;
  const ada = connectClient(a.url, room, token);
  ada.provider.awareness.setLocalStateField('user', { name: 'Ada' });
  await synced(ada);
  // The room is not loaded on b yet: loading it asks the other instances who is there.
  const bo = connectClient(b.url, room, token);
  bo.provider.awareness.setLocalStateField('user', { name: 'Bo' });
  await waitFor('Bo, on b, to see Ada, on a', () => present(bo).includes('Ada'));
  await waitFor('Ada to see Bo', () => present(ada).includes('Bo'));
  const late = connectClient(b.url, room, token);
  await waitFor('a late joiner on b to see both', () => JSON.stringify(present(late)) === JSON.stringify(['Ada', 'Bo']));
  ada.destroy();
  await waitFor('Ada to be gone on b', () => !present(bo).includes('Ada') && !present(late).includes('Ada'), 5000);
});

it('keeps converging when the LISTEN connection to Postgres is lost: missed announcements are read from storage', async () => {
  const { workspace } = await a.createWorkspace({ name: 'Lost listener' });
  const { token } = await a.issueToken({ workspace: workspace.id, role: 'member' });
  const room = `${workspace.id}/board`;
  const onA = connectClient(a.url, room, token);
  const onB = connectClient(b.url, room, token);
  await Promise.all([synced(onA), synced(onB)]);
  onA.doc.getMap('m').set('before', 1);
  await waitFor('the first change on b', () => onB.doc.getMap('m').get('before') === 1);

  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()");
    expect(rowCount).toBeGreaterThanOrEqual(2); // both instances' listeners
  } finally {
    await admin.end();
  }
  // Announced while nobody listens: b learns of it only by re-reading the room once it listens again.
  onA.doc.getMap('m').set('while-deaf', 2);
  onB.doc.getMap('m').set('from-b', 3);
  const complete = (c: TestClient) => ['before', 'while-deaf', 'from-b'].every((key, i) => c.doc.getMap('m').get(key) === i + 1);
  await waitFor('both to converge after the listeners are back', () => complete(onA) && complete(onB));
  onA.provider.awareness.setLocalStateField('user', { name: 'Ada' });
  await waitFor('presence to flow again', () => present(onB).includes('Ada'));
});

it('logs a request that fails inside the relay (a 500) with its error, and answers only "internal error"', async () => {
  // A storage fault on a database of its own (the tokens table gone), so the other tests' relays are untouched.
  const query = async (url: string, sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await query(postgres.url, 'CREATE DATABASE broken');
  const brokenUrl = postgres.url.replace(/\/relay$/, '/broken');
  const logged: { msg: string; path?: string; err?: { message: string } }[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const broken = await testRelay({ databaseUrl: brokenUrl, secret, logger });
  const { owner } = await broken.createWorkspace({ name: 'Broken' });
  await query(brokenUrl, 'ALTER TABLE tokens RENAME TO tokens_elsewhere');

  const response = await fetch(`${broken.url.replace('ws://', 'http://')}/v1/whoami`, { headers: { Authorization: `Bearer ${owner.token}` } });
  expect(response.status).toBe(500);
  expect(await response.json()).toEqual({ error: 'internal error' });
  expect(logged).toContainEqual(
    expect.objectContaining({ msg: 'http request failed', path: '/v1/whoami', err: expect.objectContaining({ message: expect.stringContaining('tokens') }) }),
  );
});
