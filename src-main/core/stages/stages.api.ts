/** Workflow stages: the columns of a project's board, kept in the project doc beside its tasks. */
import { generateNKeysBetween } from 'fractional-indexing';
import { uuidv7 } from 'uuidv7';
import * as Y from 'yjs';
import { ApiError } from '../../contract';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../api-registration';
import { keysAtEnd, orderKeyFor } from '../ordering/order-key';
import { getProject } from '../projects/projects.repo';
import { newEntity, str } from '../sync/fields';
import { projectRoom } from '../sync/rooms';
import { getStage, listStages, toPublic } from './stages.repo';

/** The default workflow; the last stage counts as done. */
export function addDefaultStages(doc: Y.Doc, names: readonly string[]): void {
  const stages = doc.getMap<unknown>('stages');
  const keys = generateNKeysBetween(null, null, names.length);
  names.forEach((name, i) => {
    stages.set(uuidv7(), newEntity({ name, order: keys[i], isDone: i === names.length - 1, deletedAt: null }));
  });
}

function stageMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const map = doc.getMap<unknown>('stages').get(id);
  if (!(map instanceof Y.Map)) throw new ApiError('NOT_FOUND', `No stage with id ${id}`, { id });
  return map;
}

export function stagesApi(ctx: CoreContext) {
  return {
    async list({ projectId }) {
      await getProject(ctx.db, projectId);
      return listStages(ctx.db, projectId);
    },
    async create({ projectId, name, afterId, beforeId }, call) {
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      // Without a place given, a new stage goes before the first done stage (Linear's "Add
      // status" lands before Done): work in progress sits left of what is finished.
      if (afterId === undefined && beforeId === undefined) beforeId = (await listStages(ctx.db, projectId)).find((s) => s.isDone)?.id;
      const order = await orderKeyFor(ctx.db, { table: 'stages', scope: { column: 'project_id', value: projectId }, afterId, beforeId });
      const id = uuidv7();
      await ctx.docs.write(projectRoom(workspaceId, projectId), call.origin, (doc) =>
        doc.getMap<unknown>('stages').set(id, newEntity({ name, order, isDone: false, deletedAt: null })),
      );
      return toPublic(await getStage(ctx.db, id));
    },
    async rename({ id, name }, call) {
      const stage = await getStage(ctx.db, id);
      await ctx.docs.write(projectRoom(stage.workspaceId, stage.projectId), call.origin, (doc) => stageMap(doc, id).set('name', name));
      return toPublic({ ...stage, name });
    },
    async move({ id, afterId, beforeId }, call) {
      const stage = await getStage(ctx.db, id);
      const order = await orderKeyFor(ctx.db, {
        table: 'stages',
        scope: { column: 'project_id', value: stage.projectId },
        movingId: id,
        afterId,
        beforeId,
      });
      await ctx.docs.write(projectRoom(stage.workspaceId, stage.projectId), call.origin, (doc) => stageMap(doc, id).set('order', order));
      return toPublic({ ...stage, order });
    },
    async remove({ id, moveTasksTo }, call) {
      if (id === moveTasksTo) throw new ApiError('VALIDATION', 'moveTasksTo: must be another stage than the one removed', { field: 'moveTasksTo' });
      const stage = await getStage(ctx.db, id);
      const target = await getStage(ctx.db, moveTasksTo, 'moveTasksTo');
      if (target.projectId !== stage.projectId) {
        throw new ApiError('VALIDATION', 'moveTasksTo: must be a stage of the same project', { field: 'moveTasksTo' });
      }
      const { rows } = await ctx.db.query<{ id: string }>(
        'SELECT id FROM tasks WHERE stage_id = $1 AND deleted_at IS NULL ORDER BY order_key, id',
        [id],
      );
      // Deleted tasks move too, so restoring one never lands it in a stage that no longer exists.
      const deleted = await ctx.db.query<{ id: string }>('SELECT id FROM tasks WHERE stage_id = $1 AND deleted_at IS NOT NULL', [id]);
      const ids = [...rows.map((r) => r.id), ...deleted.rows.map((r) => r.id)];
      const keys = ids.length > 0 ? await keysAtEnd(ctx.db, { table: 'tasks', scope: { column: 'stage_id', value: moveTasksTo } }, ids.length) : [];
      // One transaction: the stage disappears and its tasks arrive in the target together.
      await ctx.docs.write(projectRoom(stage.workspaceId, stage.projectId), call.origin, (doc) => {
        const tasks = doc.getMap<unknown>('tasks');
        ids.forEach((taskId, i) => {
          const task = tasks.get(taskId);
          if (task instanceof Y.Map && str(task, 'stageId') === id) {
            task.set('stageId', moveTasksTo);
            task.set('order', keys[i]);
            task.set('updatedAt', ctx.now());
          }
        });
        stageMap(doc, id).set('deletedAt', ctx.now());
      });
      return { id, movedTaskIds: rows.map((r) => r.id) };
    },
  } satisfies HandlersOf<'stages'>;
}
