/**
 * Scale-out on a real Postgres: two relay instances (separate pools and LISTEN connections) serve
 * the same room; a client on each converges, through append → NOTIFY {room, seq, instance} →
 * the other instance reads the row and broadcasts it. Also: the same schema and SQL as PGlite,
 * revocation seen by every instance, and /readyz naming the backend.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanup, connectClient, synced, testRelay, waitFor } from '../testing/relay-fixtures';
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
