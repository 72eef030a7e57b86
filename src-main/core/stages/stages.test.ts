import { afterEach, describe, expect, it } from 'vitest';
import { type Client } from '../../contract';
import { createCore, type Core } from '../core';
import { connectTo } from '../testing/temp-core';

let core: Core;
let client: Client;
afterEach(async () => {
  client?.close();
  await core?.close();
});

async function start() {
  core = await createCore({ dataDir: null });
  client = connectTo(core);
  const workspace = await client.api.workspaces.create({ name: 'Acme' });
  const project = await client.api.projects.create({ workspaceId: workspace.id, name: 'Website' });
  return { api: client.api, project };
}

const names = async (api: Client['api'], projectId: string) => (await api.stages.list({ projectId })).map((s) => s.name);

describe('stages.create placement', () => {
  it('puts a new stage before the done stage when no place is given', async () => {
    const { api, project } = await start();
    await api.stages.create({ projectId: project.id, name: 'QA' });
    await api.stages.create({ projectId: project.id, name: 'Staging' });
    expect(await names(api, project.id)).toEqual(['Backlog', 'Todo', 'In Progress', 'In Review', 'QA', 'Staging', 'Done']);
  });

  it('keeps an explicit place, and appends when the project has no done stage', async () => {
    const { api, project } = await start();
    const stages = await api.stages.list({ projectId: project.id });
    const done = stages.find((s) => s.isDone)!;
    await api.stages.create({ projectId: project.id, name: 'Archive', afterId: done.id });
    expect((await names(api, project.id)).at(-1)).toBe('Archive');
    const archive = (await api.stages.list({ projectId: project.id })).find((s) => s.name === 'Archive')!;
    await api.stages.remove({ id: done.id, moveTasksTo: archive.id });
    await api.stages.create({ projectId: project.id, name: 'Later' });
    expect((await names(api, project.id)).at(-1)).toBe('Later');
  });
});
