/**
 * Tasks live in their project's doc: a Y.Map of fields each, the description a Y.Text. Soft
 * deletion (`deletedAt`) keeps history and restore possible.
 */
import { uuidv7 } from 'uuidv7';
import * as Y from 'yjs';
import { ApiError } from '../../contract';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../validate';
import { checkMembers } from '../members/members.api';
import { orderKeyFor } from '../ordering/order-key';
import { getProject } from '../projects/projects.repo';
import { getStage, listStages } from '../stages/stages.repo';
import { assign, newEntity } from '../sync/fields';
import { localOrigin } from '../sync/origins';
import { projectRoom } from '../sync/rooms';
import { getTask, getTasks, listTasks, nextTaskNumber } from './tasks.repo';

const textFields = ['description'] as const;

export function tasksApi(ctx: CoreContext) {
  const stageOf = async (projectId: string, stageId: string) => {
    const stage = await getStage(ctx.db, stageId, 'stageId');
    if (stage.projectId !== projectId) {
      throw new ApiError('VALIDATION', 'stageId: must be a stage of the task\'s project', { field: 'stageId' });
    }
    return stage;
  };

  /** Writes fields of an existing task in its project doc. */
  const change = async (id: string, fields: Record<string, unknown>) => {
    const task = await getTask(ctx.db, id);
    await ctx.docs.write(projectRoom(task.workspaceId, task.projectId), localOrigin(), (doc) => {
      const map = doc.getMap<unknown>('tasks').get(id);
      if (!(map instanceof Y.Map)) throw new ApiError('NOT_FOUND', `No task with id ${id}`, { id });
      assign(map, { ...fields, updatedAt: ctx.now() }, textFields);
    });
    return getTask(ctx.db, id);
  };

  return {
    async list({ projectId, includeDeleted }) {
      await getProject(ctx.db, projectId);
      return listTasks(ctx.db, projectId, includeDeleted);
    },
    async get({ id }) {
      return getTask(ctx.db, id);
    },
    async getMany({ ids }) {
      return getTasks(ctx.db, ids);
    },
    async create({ projectId, stageId, afterId, beforeId, ...fields }) {
      const project = await getProject(ctx.db, projectId);
      const stage = stageId ? await stageOf(projectId, stageId) : (await listStages(ctx.db, projectId))[0];
      if (!stage) throw new ApiError('VALIDATION', 'stageId: the project has no stage to put the task in', { field: 'stageId' });
      await checkMembers(ctx.db, project.workspaceId, fields.assigneeIds);
      const order = await orderKeyFor(ctx.db, { table: 'tasks', scope: { column: 'stage_id', value: stage.id }, afterId, beforeId });
      const number = await nextTaskNumber(ctx.db, projectId);
      const id = uuidv7();
      const now = ctx.now();
      await ctx.docs.write(projectRoom(project.workspaceId, projectId), localOrigin(), (doc) => {
        const task = newEntity(
          { ...fields, number, stageId: stage.id, order, createdAt: now, updatedAt: now, deletedAt: null },
          textFields,
        );
        doc.getMap<unknown>('tasks').set(id, task);
      });
      return getTask(ctx.db, id);
    },
    async update({ id, ...fields }) {
      const task = await getTask(ctx.db, id);
      if (fields.assigneeIds) await checkMembers(ctx.db, task.workspaceId, fields.assigneeIds);
      return change(id, fields);
    },
    async move({ id, stageId, afterId, beforeId }) {
      const task = await getTask(ctx.db, id);
      await stageOf(task.projectId, stageId);
      const order = await orderKeyFor(ctx.db, {
        table: 'tasks',
        scope: { column: 'stage_id', value: stageId },
        movingId: id,
        afterId,
        beforeId,
      });
      return change(id, { stageId, order });
    },
    async delete({ id }) {
      const task = await getTask(ctx.db, id);
      return task.deletedAt ? task : change(id, { deletedAt: ctx.now() });
    },
    async restore({ id }) {
      const task = await getTask(ctx.db, id);
      return task.deletedAt ? change(id, { deletedAt: null }) : task;
    },
  } satisfies HandlersOf<'tasks'>;
}
