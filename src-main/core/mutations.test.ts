/**
 * Mutations run one at a time per workspace with the reads that decide them (mutation-queue.ts,
 * mutating-methods.ts): what two people, a job and a sync writing at once used to break.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Client } from '../contract';
import { createCore, type Core } from './core';
import { connectTo } from './testing/temp-core';

let core: Core;
const clients: Client[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await core?.close();
});

/** A core with one workspace and project, and `n` connections to it (people's windows). */
async function start(n = 2) {
  core = await createCore({ dataDir: null });
  for (let i = 0; i < n; i++) {
    clients.push(connectTo(core));
  }
  const api = clients[0]!.api;
  const workspace = await api.workspaces.create({ name: 'Acme' });
  const project = await api.projects.create({ workspaceId: workspace.id, name: 'Web', key: 'WEB' });
  return { apis: clients.map((c) => c.api), workspace, project };
}

describe('mutations, serialised per workspace', () => {
  it('20 concurrent creates get 20 distinct numbers', async () => {
    const { apis, project } = await start(4);
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => apis[i % apis.length]!.tasks.create({ projectId: project.id, title: `Task ${i}` })));
    const numbers = created.map((t) => t.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const listed = await apis[0]!.tasks.list({ projectId: project.id });
    expect(new Set(listed.map((t) => t.key)).size).toBe(20);
  });

  it('concurrent projects with one key: exactly one is created, the others get CONFLICT', async () => {
    const { apis, workspace } = await start(3);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => apis[i % apis.length]!.projects.create({ workspaceId: workspace.id, name: `Dup ${i}`, key: 'DUP' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(4);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT', details: { field: 'key' } });
    const projects = await apis[0]!.projects.list({ workspaceId: workspace.id });
    expect(projects.filter((p) => p.key === 'DUP')).toHaveLength(1);
    // Renaming two projects to one key at once: one wins.
    const [a, b] = await Promise.all([
      apis[0]!.projects.create({ workspaceId: workspace.id, name: 'A', key: 'AAA' }),
      apis[1]!.projects.create({ workspaceId: workspace.id, name: 'B', key: 'BBB' }),
    ]);
    const renames = await Promise.allSettled([apis[0]!.projects.update({ id: a.id, key: 'SAME' }), apis[1]!.projects.update({ id: b.id, key: 'SAME' })]);
    expect(renames.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('concurrent moves to the end of a stage get distinct order keys, in call order', async () => {
    const { apis, project } = await start(3);
    const [backlog, todo] = await apis[0]!.stages.list({ projectId: project.id });
    const tasks = [];
    for (let i = 0; i < 5; i++) tasks.push(await apis[0]!.tasks.create({ projectId: project.id, title: `T${i}`, stageId: backlog!.id }));
    const moved = await Promise.all(tasks.map((t, i) => apis[i % apis.length]!.tasks.move({ id: t.id, stageId: todo!.id })));
    expect(new Set(moved.map((t) => t.order)).size).toBe(5);
    const column = (await apis[0]!.tasks.list({ projectId: project.id })).filter((t) => t.stageId === todo!.id);
    expect(column.map((t) => t.title)).toEqual(['T0', 'T1', 'T2', 'T3', 'T4']);
    // Concurrent new stages at the end too.
    const stages = await Promise.all(['X', 'Y', 'Z'].map((name, i) => apis[i]!.stages.create({ projectId: project.id, name })));
    expect(new Set(stages.map((s) => s.order)).size).toBe(3);
  });

  it('a slow mutation in one workspace does not delay one in another; it does delay its own workspace', async () => {
    const { apis, workspace, project } = await start(2);
    const other = await apis[0]!.workspaces.create({ name: 'Beta' });
    const otherProject = await apis[0]!.projects.create({ workspaceId: other.id, name: 'Elsewhere' });
    const finished: string[] = [];
    let release!: () => void;
    // A job holding Acme's mutations (a long import, say) until released.
    const slow = core.internals.mutate(workspace.id, () => new Promise<void>((resolve) => (release = resolve))).then(() => finished.push('slow acme job'));
    const sameWorkspace = apis[0]!.tasks.create({ projectId: project.id, title: 'waits' }).then(() => finished.push('acme task'));
    await apis[1]!.tasks.create({ projectId: otherProject.id, title: 'goes' }).then(() => finished.push('beta task'));
    // Reads of the held workspace go on meanwhile.
    await apis[1]!.tasks.list({ projectId: project.id });
    expect(finished).toEqual(['beta task']);
    release();
    await Promise.all([slow, sameWorkspace]);
    expect(finished).toEqual(['beta task', 'slow acme job', 'acme task']);
  });

  it('a failed mutation does not block the ones after it', async () => {
    const { apis, project } = await start(2);
    const results = await Promise.allSettled([
      apis[0]!.tasks.create({ projectId: project.id, title: 'ok 1' }),
      apis[1]!.tasks.create({ projectId: project.id, title: 'bad', stageId: '00000000-0000-4000-8000-000000000000' }),
      apis[0]!.tasks.create({ projectId: project.id, title: 'ok 2' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await apis[0]!.tasks.list({ projectId: project.id })).map((t) => t.number)).toEqual([1, 2]);
  });
});
