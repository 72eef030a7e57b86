/**
 * The core reaches main only through the MainApi RPC: here main is the plain-Node one (`nodeMain`)
 * with recording parts, as a test's fake of main written against the contract.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay, type RelayHandle } from '../../../sync-server/relay/relay-server';
import { createCore, type Core } from '../core';
import { aesSealer } from '../sync/secrets';
import { nodeMain, type NodeMain } from './main-client';
import { randomBytes } from 'node:crypto';

let core: Core | undefined;
let relay: RelayHandle | undefined;
let main: NodeMain | undefined;
afterEach(async () => {
  await core?.close();
  await relay?.close();
  main?.close();
  core = relay = main = undefined;
});

describe('the core and main', () => {
  it('stores relay tokens only as main sealed them, and opens them through main', async () => {
    const key = aesSealer(randomBytes(32));
    const asked: string[] = [];
    main = nodeMain({
      sealer: {
        seal: (text) => (asked.push('seal'), key.seal(text)),
        open: (text) => (asked.push('open'), key.open(text)),
      },
    });
    relay = await startRelay({ port: 0, logger: 'silent' });
    core = await createCore({ dataDir: null, main: main.client });
    const workspace = await core.api.workspaces.create({ name: 'Acme' });
    const { owner } = await relay.createWorkspace({ name: 'Acme', id: workspace.id });
    await core.api.sync.publish({ workspaceId: workspace.id, invite: owner.invite });
    expect(asked).toContain('seal');
    const token = new URL(owner.invite).searchParams.get('token')!;
    const { rows } = await core.internals.db.query<{ value: unknown }>("SELECT value FROM settings WHERE key LIKE 'sync:%'");
    expect(JSON.stringify(rows)).not.toContain(token);
    // Opening (to connect, to invite) asks main too.
    asked.length = 0;
    await core.api.sync.createInvite({ workspaceId: workspace.id, role: 'member' });
    expect(asked).toEqual(['open']);
  });

  it('hears main’s power events: the sync manager subscribes to them when the core starts', async () => {
    main = nodeMain();
    core = await createCore({ dataDir: null, main: main.client });
    const heard: string[] = [];
    core.internals.main.on('power.resumed', ({ at }) => heard.push(at));
    // The sync manager subscribed when the core started; one round trip later the event flows.
    await core.internals.main.api.dialog.chooseFolder({});
    main.emit('power.resumed', { at: '2026-11-28T08:00:00.000Z' });
    await core.internals.main.api.dialog.chooseFolder({});
    expect(heard).toEqual(['2026-11-28T08:00:00.000Z']);
  });
});
