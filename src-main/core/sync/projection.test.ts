/**
 * The invariant of DESIGN.md: the projection rebuilt from the docs (update log + snapshots) equals
 * the incrementally kept one, whatever sequence of operations built it — with compaction in between.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Core } from '../core';
import { coreWithProject, projectionDump, tempDir } from '../testing/temp-core';
import { createCore } from '../core';
import { projectRoom, workspaceRoom } from './rooms';

type Op =
  | { kind: 'create'; title: string; stage: number }
  | { kind: 'update'; task: number; title?: string; description?: string; labels?: string[]; priority?: 'low' | 'urgent' }
  | { kind: 'move'; task: number; stage: number; position: number }
  | { kind: 'delete' | 'restore'; task: number }
  | { kind: 'addStage'; name: string }
  | { kind: 'removeStage'; stage: number; target: number }
  | { kind: 'project'; description: string }
  | { kind: 'compact' };

const word = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), title: word, stage: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        kind: fc.constant('update' as const),
        task: fc.nat(),
        title: word,
        description: fc.string({ maxLength: 40 }),
        labels: fc.array(fc.constantFrom('bug', 'ux', 'seo'), { maxLength: 2 }),
        priority: fc.constantFrom('low' as const, 'urgent' as const),
      },
      { requiredKeys: ['kind', 'task'] },
    ),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('move' as const), task: fc.nat(), stage: fc.nat(), position: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('delete' as const, 'restore' as const), task: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addStage' as const), name: word }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeStage' as const), stage: fc.nat(), target: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('project' as const), description: fc.string({ maxLength: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const) }) },
);

async function apply(core: Core, projectId: string, workspaceId: string, ops: Op[]): Promise<void> {
  const api = core.api;
  for (const o of ops) {
    const stages = await api.stages.list({ projectId });
    const tasks = await api.tasks.list({ projectId, includeDeleted: true });
    const task = tasks.length ? tasks[('task' in o ? o.task : 0) % tasks.length]! : null;
    switch (o.kind) {
      case 'create':
        await api.tasks.create({ projectId, title: o.title, stageId: stages[o.stage % stages.length]!.id });
        break;
      case 'update':
        if (task) await api.tasks.update({ id: task.id, title: o.title, description: o.description, labels: o.labels, priority: o.priority });
        break;
      case 'move': {
        if (!task) break;
        const stage = stages[o.stage % stages.length]!;
        const column = tasks.filter((t) => t.stageId === stage.id && !t.deletedAt && t.id !== task.id);
        const at = o.position % (column.length + 1);
        await api.tasks.move({ id: task.id, stageId: stage.id, afterId: column[at - 1]?.id ?? null, beforeId: column[at]?.id ?? null });
        break;
      }
      case 'delete':
        if (task) await api.tasks.delete({ id: task.id });
        break;
      case 'restore':
        if (task) await api.tasks.restore({ id: task.id });
        break;
      case 'addStage':
        await api.stages.create({ projectId, name: o.name });
        break;
      case 'removeStage': {
        if (stages.length < 2) break;
        const removed = stages[o.stage % stages.length]!;
        const others = stages.filter((s) => s.id !== removed.id);
        await api.stages.remove({ id: removed.id, moveTasksTo: others[o.target % others.length]!.id });
        break;
      }
      case 'project':
        await api.projects.update({ id: projectId, description: o.description });
        break;
      case 'compact':
        await core.internals.docs.compact(projectRoom(workspaceId, projectId));
        await core.internals.docs.compact(workspaceRoom(workspaceId));
        break;
    }
  }
}

describe('projection', () => {
  it('rebuilt from the docs equals the incrementally kept tables', async () => {
    const { core, workspace, project } = await coreWithProject();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
          await apply(core, project.id, workspace.id, ops);
          const incremental = await projectionDump(core);
          await core.internals.docs.rebuildProjection();
          expect(await projectionDump(core)).toEqual(incremental);
        }),
        { numRuns: 15 },
      );
    } finally {
      await core.close();
    }
  });

  it('compaction merges the log into a snapshot and a reopened replica loads it', async () => {
    const dir = tempDir();
    try {
      let core = await createCore({ dataDir: dir.path });
      const workspace = await core.api.workspaces.create({ name: 'Acme' });
      const project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Website' });
      const task = await core.api.tasks.create({ projectId: project.id, title: 'Edit me' });
      for (let i = 0; i < 30; i++) await core.api.tasks.update({ id: task.id, description: `version ${i}` });
      const room = projectRoom(workspace.id, project.id);
      const count = async () =>
        (await core.internals.db.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates WHERE room = $1', [room.name])).rows[0]!.n;
      expect(await count()).toBe(32); // stages, task, 30 edits
      await core.internals.docs.compact(room);
      expect(await count()).toBe(0);
      await core.api.tasks.update({ id: task.id, title: 'After compaction' });
      expect(await count()).toBe(1);
      const before = await projectionDump(core);
      await core.close();

      core = await createCore({ dataDir: dir.path });
      await core.internals.docs.rebuildProjection();
      expect(await projectionDump(core)).toEqual(before);
      expect(await core.api.tasks.get({ id: task.id })).toMatchObject({ title: 'After compaction', description: 'version 29' });
      await core.close();
    } finally {
      dir.remove();
    }
  });
});
