/** `--demo` on a replica that already has workspaces: the demo is added beside them, once, and shown. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core';
import { demoWorkspaceName, loadDemoData } from './demo-data';

let core: Core;

beforeAll(async () => {
  core = await createCore({ dataDir: null });
});
afterAll(async () => core?.close());

describe('loadDemoData', () => {
  it('adds the demo as a new workspace beside an existing one and switches to it; a second time only switches', async () => {
    const own = await core.api.workspaces.create({ name: 'My Studio' });
    expect((await core.api.workspaces.current())?.id).toBe(own.id);

    const first = await loadDemoData(core.api);
    expect(first.loaded).toBe(true);
    expect(first.workspace).toMatchObject({ name: demoWorkspaceName, current: true });
    expect(await core.api.projects.list({ workspaceId: first.workspace.id })).toHaveLength(3);
    expect((await core.api.projects.list({ workspaceId: own.id })).length).toBe(0);

    await core.api.workspaces.switch({ id: own.id });
    const again = await loadDemoData(core.api);
    expect(again).toMatchObject({ loaded: false, workspace: { id: first.workspace.id, current: true } });
    expect((await core.api.workspaces.list()).map((w) => w.name).sort()).toEqual(['My Studio', demoWorkspaceName].sort());
  });
});
