/**
 * tasks.purge ("delete forever" in the Trash): only a deleted task, through the mutation wrapper,
 * refused to a viewer, and gone from the project doc so every replica drops it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Client } from '../../contract';
import { createCore, type Core } from '../core';
import { projectRoom } from '../sync/rooms';
import { eventually, startTeam, type Team } from '../testing/team';
import { connectTo } from '../testing/temp-core';

let core: Core | null = null;
let client: Client | null = null;
let team: Team | null = null;
afterEach(async () => {
  client?.close();
  await core?.close();
  await team?.close();
  core = client = team = null;
});

async function start() {
  core = await createCore({ dataDir: null });
  client = connectTo(core);
  const api = client.api;
  const ws = await api.workspaces.create({ name: 'Acme' });
  const project = await api.projects.create({ workspaceId: ws.id, name: 'Web', key: 'WEB' });
  return { api, ws, project };
}

describe('tasks.purge', () => {
  it('removes a deleted task from the project doc and the replica; a live one is refused', async () => {
    const { api, ws, project } = await start();
    const kept = await api.tasks.create({ projectId: project.id, title: 'Keep me' });
    const binned = await api.tasks.create({ projectId: project.id, title: 'Bin me' });

    await expect(api.tasks.purge({ id: binned.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'id: WEB-2 is not in the trash; delete it before deleting it forever',
    });
    expect((await api.tasks.get({ id: binned.id })).deletedAt).toBeNull();

    await api.tasks.delete({ id: binned.id });
    expect(await api.tasks.purge({ id: binned.id })).toEqual({ id: binned.id });

    await expect(api.tasks.get({ id: binned.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await api.tasks.getMany({ ids: [binned.id, kept.id] })).toEqual([await api.tasks.get({ id: kept.id })]);
    expect((await api.tasks.list({ projectId: project.id, includeDeleted: true })).map((t) => t.key)).toEqual(['WEB-1']);
    const inDoc = await core!.internals.docs.read(projectRoom(ws.id, project.id), (doc) => [...doc.getMap<Y.Map<unknown>>('tasks').keys()]);
    expect(inDoc).toEqual([kept.id]);
    // Gone means gone: a second purge, a restore or an edit find nothing.
    await expect(api.tasks.purge({ id: binned.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.tasks.restore({ id: binned.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('names what is wrong with bad input', async () => {
    const { api } = await start();
    await expect(api.tasks.purge({ id: 'WEB-2' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/tasks\.purge: id: /) });
    await expect(api.tasks.purge({ id: '0190b3c4-0000-7000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reaches every replica, and a viewer may not purge', async () => {
    team = await startTeam(2);
    const [a, b] = team.cores as [Core, Core];
    const ws = team.workspace.id;
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Website', key: 'WEB' });
    const task = await a.api.tasks.create({ projectId: project.id, title: 'Old idea' });
    await a.api.tasks.delete({ id: task.id });
    await eventually(() => b.api.tasks.getMany({ ids: [task.id] }), (t) => t[0]?.deletedAt != null);

    const viewer = await createCore({ dataDir: null });
    try {
      const invite = await a.api.sync.createInvite({ workspaceId: ws, role: 'viewer', name: 'Guest' });
      await viewer.api.sync.join({ invite: invite.invite });
      await eventually(() => viewer.api.tasks.getMany({ ids: [task.id] }), (t) => t.length === 1);
      await expect(viewer.api.tasks.purge({ id: task.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });

      await b.api.tasks.purge({ id: task.id });
      await eventually(() => a.api.tasks.getMany({ ids: [task.id] }), (t) => t.length === 0);
      await eventually(() => viewer.api.tasks.getMany({ ids: [task.id] }), (t) => t.length === 0);
    } finally {
      await viewer.close();
    }
  });
});
