/**
 * The domain through the real RPC path (in-process transport, JSON on the wire): workspaces,
 * profile, projects, stages and tasks, and the change events that keep every open view live.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type ChangeEvent, type Client, type Task } from '../contract';
import { inProcessPair } from '../rpc/in-process';
import { createCore, type Core } from './core';
import { connectTo } from './testing/temp-core';

let core: Core;
let client: Client;
afterEach(async () => {
  client?.close();
  await core?.close();
});

async function start() {
  core = await createCore({ dataDir: null, clock: () => new Date('2026-11-22T10:00:00.000Z') });
  client = connectTo(core);
  return client.api;
}

describe('core through RPC', () => {
  it('workspaces: create, rename, list, switch', async () => {
    const api = await start();
    expect(await api.workspaces.current()).toBeNull();
    const acme = await api.workspaces.create({ name: 'Acme' });
    expect(acme.current).toBe(true);
    const beta = await api.workspaces.create({ name: 'Beta' });
    expect(beta.current).toBe(false);
    await api.workspaces.rename({ id: beta.id, name: 'Beta Labs' });
    await api.workspaces.switch({ id: beta.id });
    expect(await api.workspaces.list()).toEqual([
      { id: acme.id, name: 'Acme', createdAt: '2026-11-22T10:00:00.000Z', current: false },
      { id: beta.id, name: 'Beta Labs', createdAt: '2026-11-22T10:00:00.000Z', current: true },
    ]);
  });

  it('the profile name is the own member of every workspace', async () => {
    const api = await start();
    const acme = await api.workspaces.create({ name: 'Acme' });
    await api.profile.update({ displayName: 'Ada Lovelace' });
    expect(await api.profile.get()).toEqual({ displayName: 'Ada Lovelace' });
    const other = await api.workspaces.create({ name: 'Other' });
    for (const ws of [acme, other]) {
      expect((await api.members.list({ workspaceId: ws.id })).map((m) => m.name)).toEqual(['Ada Lovelace']);
    }
  });

  it('projects: every field, archive, favourites first, delete', async () => {
    const api = await start();
    const ws = await api.workspaces.create({ name: 'Acme' });
    const web = await api.projects.create({
      workspaceId: ws.id,
      name: 'Website Redesign',
      description: 'New site',
      status: 'in_progress',
      clientName: 'Northwind — Maria',
      startDate: '2026-11-01',
      endDate: '2027-01-31',
      deliverables: [{ text: 'Sitemap', done: true }, { text: 'Launch' }],
      notes: 'Weekly on Thursdays',
      tags: ['client'],
      color: '#10b981',
    });
    expect(web).toMatchObject({
      key: 'WR',
      status: 'in_progress',
      clientName: 'Northwind — Maria',
      startDate: '2026-11-01',
      endDate: '2027-01-31',
      notes: 'Weekly on Thursdays',
      tags: ['client'],
      color: '#10b981',
      favorite: false,
      archivedAt: null,
    });
    expect(web.deliverables.map((d) => [d.text, d.done])).toEqual([['Sitemap', true], ['Launch', false]]);
    expect((await api.stages.list({ projectId: web.id })).map((s) => s.name)).toEqual([
      'Backlog', 'Todo', 'In Progress', 'In Review', 'Done',
    ]);

    const app = await api.projects.create({ workspaceId: ws.id, name: 'App', key: 'app' });
    expect(app.key).toBe('APP');
    const zed = await api.projects.create({ workspaceId: ws.id, name: 'Zed' });
    await api.projects.setFavorite({ id: zed.id, favorite: true });
    expect((await api.projects.list({ workspaceId: ws.id })).map((p) => p.name)).toEqual(['Zed', 'App', 'Website Redesign']);

    await api.projects.archive({ id: app.id });
    expect((await api.projects.list({ workspaceId: ws.id })).map((p) => p.name)).toEqual(['Zed', 'Website Redesign']);
    expect((await api.projects.list({ workspaceId: ws.id, includeArchived: true })).map((p) => p.name)).toContain('App');
    await api.projects.unarchive({ id: app.id });
    expect((await api.projects.get({ id: app.id })).archivedAt).toBeNull();

    await api.projects.update({ id: web.id, name: 'Website', key: 'WEB', deliverables: [] });
    expect(await api.projects.get({ id: web.id })).toMatchObject({ name: 'Website', key: 'WEB', deliverables: [] });

    await api.projects.delete({ id: zed.id });
    await expect(api.projects.get({ id: zed.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await api.projects.list({ workspaceId: ws.id })).map((p) => p.name)).toEqual(['App', 'Website']);
  });

  it('tasks: every field, keys, delete and restore, counts', async () => {
    const api = await start();
    const ws = await api.workspaces.create({ name: 'Acme' });
    const [me] = await api.members.list({ workspaceId: ws.id });
    const bob = await api.members.create({ workspaceId: ws.id, name: 'Bob' });
    const project = await api.projects.create({ workspaceId: ws.id, name: 'Web', key: 'WEB' });
    const stages = await api.stages.list({ projectId: project.id });
    const done = stages.find((s) => s.isDone)!;
    const first = await api.tasks.create({ projectId: project.id, title: 'Design' });
    expect(first).toMatchObject({ key: 'WEB-1', stageId: stages[0]!.id, priority: 'normal', description: '' });
    const second = await api.tasks.create({
      projectId: project.id,
      title: 'Build',
      stageId: done.id,
      description: 'Ship it',
      priority: 'urgent',
      assigneeIds: [me!.id, bob.id],
      labels: ['frontend'],
      dueDate: '2026-12-01',
      estimateHours: 2.5,
    });
    expect(second).toMatchObject({
      key: 'WEB-2',
      assigneeIds: [me!.id, bob.id],
      labels: ['frontend'],
      dueDate: '2026-12-01',
      estimateHours: 2.5,
    });
    const updated = await api.tasks.update({ id: first.id, title: 'Design v2', description: 'Mock-ups', dueDate: null, estimateHours: null });
    expect(updated).toMatchObject({ title: 'Design v2', description: 'Mock-ups', dueDate: null, estimateHours: null });
    expect(await api.projects.get({ id: project.id })).toMatchObject({ taskCount: 2, doneTaskCount: 1 });

    await api.tasks.delete({ id: second.id });
    expect((await api.tasks.list({ projectId: project.id })).map((t) => t.key)).toEqual(['WEB-1']);
    expect((await api.tasks.get({ id: second.id })).deletedAt).not.toBeNull();
    expect(await api.projects.get({ id: project.id })).toMatchObject({ taskCount: 1, doneTaskCount: 0 });
    await api.tasks.restore({ id: second.id });
    expect((await api.tasks.list({ projectId: project.id })).map((t) => t.key)).toEqual(['WEB-1', 'WEB-2']);
  });

  it("tasks.firstWindow: each stage's first tasks in board order, as tasks.list has them, and every stage's count", async () => {
    const api = await start();
    const ws = await api.workspaces.create({ name: 'Acme' });
    const project = await api.projects.create({ workspaceId: ws.id, name: 'Web', key: 'WEB' });
    const [backlog, todo, , done] = await api.stages.list({ projectId: project.id });
    // Created concurrently, in shuffled stages; one moved to the top of Todo, one deleted.
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api.tasks.create({ projectId: project.id, title: `Task ${i}`, stageId: [todo!, backlog!, todo!, done!][i % 4]!.id })),
    );
    const todoTasks = created.filter((t) => t.stageId === todo!.id);
    await api.tasks.move({ id: todoTasks.at(-1)!.id, stageId: todo!.id, beforeId: (await api.tasks.list({ projectId: project.id })).find((t) => t.stageId === todo!.id)!.id });
    await api.tasks.delete({ id: created.find((t) => t.stageId === backlog!.id)!.id });

    const all = await api.tasks.list({ projectId: project.id });
    const firstOfEachStage = (n: number) => all.filter((t, i) => all.slice(0, i).filter((u) => u.stageId === t.stageId).length < n);
    for (const perStage of [1, 2, 5, 500]) {
      const window = await api.tasks.firstWindow({ projectId: project.id, perStage });
      expect(window.tasks).toEqual(firstOfEachStage(perStage));
      expect(window.stageCounts).toEqual({ [todo!.id]: 6, [backlog!.id]: 2, [done!.id]: 3 });
    }
    await expect(api.tasks.firstWindow({ projectId: project.id, perStage: 0 })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('perStage') });
    await expect(api.tasks.firstWindow({ projectId: ws.id, perStage: 5 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('tasks.list reads one stage in pages (after the last task of the previous one) that add up to its part of the whole list', async () => {
    const api = await start();
    const ws = await api.workspaces.create({ name: 'Acme' });
    const project = await api.projects.create({ workspaceId: ws.id, name: 'Web', key: 'WEB' });
    const [backlog, todo] = await api.stages.list({ projectId: project.id });
    const created = await Promise.all(
      Array.from({ length: 11 }, (_, i) => api.tasks.create({ projectId: project.id, title: `Task ${i}`, stageId: (i % 3 ? todo! : backlog!).id })),
    );
    // Order keys that are not creation order: the last one moved to the top of Todo.
    const todoFirst = (await api.tasks.list({ projectId: project.id, stageId: todo!.id }))[0]!;
    await api.tasks.move({ id: created.at(-1)!.id, stageId: todo!.id, beforeId: todoFirst.id });
    await api.tasks.delete({ id: created[1]!.id });

    const all = await api.tasks.list({ projectId: project.id });
    for (const stage of [backlog!, todo!]) {
      const whole = all.filter((t) => t.stageId === stage.id);
      expect(await api.tasks.list({ projectId: project.id, stageId: stage.id })).toEqual(whole);
      for (const limit of [1, 2, 3, 100]) {
        const pages: Task[] = [];
        let after: { order: string; id: string } | undefined;
        for (let n = 0; n < 20; n++) {
          const page = await api.tasks.list({ projectId: project.id, stageId: stage.id, after, limit });
          expect(page.length).toBeLessThanOrEqual(limit);
          pages.push(...page);
          if (page.length < limit) break;
          after = { order: page.at(-1)!.order, id: page.at(-1)!.id };
        }
        expect(pages).toEqual(whole);
      }
    }
    expect(await api.tasks.list({ projectId: project.id, limit: 2 })).toEqual(all.slice(0, 2));
    await expect(api.tasks.list({ projectId: project.id, after: { order: all[0]!.order, id: all[0]!.id } })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('after: needs stageId'),
    });
    await expect(api.tasks.list({ projectId: project.id, stageId: todo!.id, limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('limit') });
  });

  it('what a write returns is what a read returns, also after the project key changes', async () => {
    const api = await start();
    const ws = await api.workspaces.create({ name: 'Acme' });
    const project = await api.projects.create({ workspaceId: ws.id, name: 'Web', key: 'WEB' });
    const [, todo] = await api.stages.list({ projectId: project.id });
    const task = await api.tasks.create({ projectId: project.id, title: 'Design' });
    expect(await api.tasks.update({ id: task.id, title: 'Design v2', labels: ['ux'] })).toEqual(await api.tasks.get({ id: task.id }));
    expect(await api.tasks.move({ id: task.id, stageId: todo!.id })).toEqual(await api.tasks.get({ id: task.id }));
    expect(await api.tasks.delete({ id: task.id })).toEqual(await api.tasks.get({ id: task.id }));
    expect(await api.tasks.restore({ id: task.id })).toEqual(await api.tasks.get({ id: task.id }));
    await api.projects.update({ id: project.id, key: 'SITE' });
    expect((await api.tasks.update({ id: task.id, title: 'Design v3' })).key).toBe('SITE-1');
    await api.projects.delete({ id: project.id });
    await expect(api.tasks.update({ id: task.id, title: 'gone' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('pushes change events naming the changed ids to subscribed connections, after the change is readable', async () => {
    const api = await start();
    const ws = await api.workspaces.create({ name: 'Acme' });
    const other = await api.workspaces.create({ name: 'Other' });
    const project = await api.projects.create({ workspaceId: ws.id, name: 'Web' });
    const elsewhere = await api.projects.create({ workspaceId: other.id, name: 'Elsewhere' });
    const task = await api.tasks.create({ projectId: project.id, title: 'Design' });
    const otherTask = await api.tasks.create({ projectId: elsewhere.id, title: 'Not watched' });

    // A second view (another window) subscribed to Acme, and a third subscribed to nothing.
    const [viewEnd, viewClientEnd] = inProcessPair();
    core.serve(viewEnd);
    const view = connect(viewClientEnd);
    const [idleEnd, idleClientEnd] = inProcessPair();
    core.serve(idleEnd);
    const idle = connect(idleClientEnd);
    await view.api.events.subscribe({ event: 'changed', workspaceId: ws.id });
    const seen: ChangeEvent[] = [];
    const seenTitles: string[] = [];
    view.on('changed', (event) => {
      seen.push(event);
      if (event.entity === 'task') void view.api.tasks.getMany({ ids: event.ids }).then((ts) => seenTitles.push(...ts.map((t) => t.title)));
    });
    const idleSaw: ChangeEvent[] = [];
    idle.on('changed', (event) => idleSaw.push(event));

    await api.tasks.update({ id: otherTask.id, title: 'Still not watched' });
    await api.tasks.update({ id: task.id, title: 'Design system' });
    await api.projects.setFavorite({ id: project.id, favorite: true });
    await expect.poll(() => seenTitles).toEqual(['Design system']);
    expect(seen.map(({ cause: _cause, ...event }) => event)).toEqual([
      { workspaceId: ws.id, projectId: project.id, entity: 'task', ids: [task.id] },
      { workspaceId: ws.id, projectId: project.id, entity: 'project', ids: [project.id] },
    ]);
    expect(idleSaw).toEqual([]);
    view.close();
    idle.close();
  });

  it('gives the calling connection its own changes with the reply, without the ids the reply carries', async () => {
    const api = await start();
    const ws = await api.workspaces.create({ name: 'Acme' });
    const project = await api.projects.create({ workspaceId: ws.id, name: 'Web' });
    const [todo, doing] = await api.stages.list({ projectId: project.id });
    const a = await api.tasks.create({ projectId: project.id, title: 'A', stageId: todo!.id });
    await client.api.events.subscribe({ event: 'changed', workspaceId: ws.id });
    const order: string[] = [];
    const mine: ChangeEvent[] = [];
    client.on('changed', (event) => {
      order.push('event');
      mine.push(event);
    });
    // The change comes with the reply (its listener runs before the caller continues), the task's id
    // dropped: the reply holds the task.
    await api.tasks.update({ id: a.id, title: 'A2' }).then(() => order.push('reply'));
    await expect.poll(() => mine.length).toBe(1);
    expect(order).toEqual(['event', 'reply']);
    expect(mine[0]).toMatchObject({ entity: 'task', ids: [] });
    // Removing a stage moves its tasks: the reply names only the stage, so the moved task stays in the event.
    await api.stages.remove({ id: todo!.id, moveTasksTo: doing!.id });
    await expect.poll(() => mine.find((e) => e.entity === 'task' && e.ids.includes(a.id))).toBeTruthy();
  });

  it('answers unknown methods and prototype names with NOT_FOUND', async () => {
    await start();
    const raw = client.api as unknown as Record<string, Record<string, (a: unknown) => Promise<unknown>>>;
    await expect(raw.tasks!.constructor!({})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(raw.nope!.list!({})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
