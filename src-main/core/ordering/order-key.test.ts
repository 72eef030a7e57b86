/**
 * Ordering after moves: a model of the board (ordered id lists per stage) and the replica agree
 * after any sequence of moves within and across stages, at any position.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreWithProject } from '../testing/temp-core';

describe('task order', () => {
  it('follows every move, within and across stages', async () => {
    const { core, project } = await coreWithProject();
    try {
      const stages = await core.api.stages.list({ projectId: project.id });
      const model = new Map<string, string[]>(stages.map((s) => [s.id, []]));
      for (let i = 0; i < 12; i++) {
        const stage = stages[i % 3]!;
        const task = await core.api.tasks.create({ projectId: project.id, title: `T${i}`, stageId: stage.id });
        model.get(stage.id)!.push(task.id);
      }
      const boardOrder = async () => {
        const tasks = await core.api.tasks.list({ projectId: project.id });
        return new Map(stages.map((s) => [s.id, tasks.filter((t) => t.stageId === s.id).map((t) => t.id)]));
      };
      expect(await boardOrder()).toEqual(model);

      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ task: fc.nat(), stage: fc.nat({ max: 4 }), position: fc.nat(), hint: fc.constantFrom('both', 'after', 'before') }), {
            minLength: 1,
            maxLength: 25,
          }),
          async (moves) => {
            for (const move of moves) {
              const all = [...model.values()].flat();
              const id = all[move.task % all.length]!;
              for (const list of model.values()) if (list.includes(id)) list.splice(list.indexOf(id), 1);
              const target = stages[move.stage]!;
              const column = model.get(target.id)!;
              const at = move.position % (column.length + 1);
              const afterId = column[at - 1] ?? null;
              const beforeId = column[at] ?? null;
              await core.api.tasks.move({
                id,
                stageId: target.id,
                // The UI may name one neighbour or both; either must land the task in the same place.
                afterId: move.hint === 'before' && beforeId ? null : afterId,
                beforeId: move.hint === 'after' && afterId ? null : beforeId,
              });
              column.splice(at, 0, id);
            }
            expect(await boardOrder()).toEqual(model);
          },
        ),
        { numRuns: 20 },
      );
    } finally {
      await core.close();
    }
  });

  it('puts a new stage before the done stage (or where asked), and moves stages', async () => {
    const { core, project } = await coreWithProject();
    try {
      const added = await core.api.stages.create({ projectId: project.id, name: 'Blocked' });
      let names = (await core.api.stages.list({ projectId: project.id })).map((s) => s.name);
      expect(names).toEqual(['Backlog', 'Todo', 'In Progress', 'In Review', 'Blocked', 'Done']);
      const [backlog, todo] = await core.api.stages.list({ projectId: project.id });
      const done = (await core.api.stages.list({ projectId: project.id })).at(-1)!;
      await core.api.stages.create({ projectId: project.id, name: 'Archive', afterId: done.id });
      names = (await core.api.stages.list({ projectId: project.id })).map((s) => s.name);
      expect(names.at(-1)).toBe('Archive');
      await core.api.stages.remove({ id: (await core.api.stages.list({ projectId: project.id })).at(-1)!.id, moveTasksTo: done.id });
      await core.api.stages.move({ id: added.id, afterId: backlog!.id, beforeId: todo!.id });
      names = (await core.api.stages.list({ projectId: project.id })).map((s) => s.name);
      expect(names).toEqual(['Backlog', 'Blocked', 'Todo', 'In Progress', 'In Review', 'Done']);
    } finally {
      await core.close();
    }
  });

  it('removing a stage moves its tasks, in order, to the end of the target', async () => {
    const { core, project } = await coreWithProject();
    try {
      const [backlog, todo] = await core.api.stages.list({ projectId: project.id });
      await core.api.tasks.create({ projectId: project.id, title: 'a', stageId: todo!.id });
      const b = await core.api.tasks.create({ projectId: project.id, title: 'b', stageId: backlog!.id });
      const c = await core.api.tasks.create({ projectId: project.id, title: 'c', stageId: backlog!.id });
      await core.api.tasks.move({ id: c.id, stageId: backlog!.id, beforeId: b.id });
      const result = await core.api.stages.remove({ id: backlog!.id, moveTasksTo: todo!.id });
      expect(result.movedTaskIds).toEqual([c.id, b.id]);
      const tasks = await core.api.tasks.list({ projectId: project.id });
      expect(tasks.map((t) => [t.title, t.stageId])).toEqual([
        ['a', todo!.id],
        ['c', todo!.id],
        ['b', todo!.id],
      ]);
      expect((await core.api.stages.list({ projectId: project.id })).map((s) => s.name)).not.toContain('Backlog');
    } finally {
      await core.close();
    }
  });
});
