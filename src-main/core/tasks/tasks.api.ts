/**
 * Tasks live in their project's doc: a Y.Map of fields each, the description a Y.Text. Soft
 * deletion (`deletedAt`) keeps history and restore possible.
 */
import { uuidv7 } from 'uuidv7';
import * as Y from 'yjs';
import { ApiError, type Task } from '../../contract';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../api-registration';
import { checkMembers } from '../members/members.api';
import { orderKeyFor } from '../ordering/order-key';
import { getProject } from '../projects/projects.repo';
import { getStage, listStages } from '../stages/stages.repo';
import { assign, newEntity, nullableStr, type EntityMap } from '../sync/fields';
import type { LocalOrigin } from '../sync/origins';
import { readHistory } from '../history/history.repo';
import { projectRoom } from '../sync/rooms';
import { replicaId } from '../settings/replica-id';
import { firstTaskWindow, getTask, getTasks, listTasks, nextTaskNumber, taskFromDoc, type TaskPlace } from './tasks.repo';

const textFields = ['description'] as const;

/** Placement and bookkeeping fields every new task gets besides its editable ones. */
export interface NewTaskPlacement {
  number: number;
  stageId: string;
  order: string;
  now: string;
  /** The replica that creates it: the only one that renumbers it (see task-numbers.ts). */
  createdOn: string;
}

/**
 * A new task's Y.Map, in the one field layout the projection reads (`create` uses it; tools that
 * seed many tasks in one doc transaction, like the benches, use it too).
 */
export function newTaskEntity(fields: Record<string, unknown>, { number, stageId, order, now, createdOn }: NewTaskPlacement): Y.Map<unknown> {
  return newEntity({ ...fields, number, stageId, order, createdOn, createdAt: now, updatedAt: now, deletedAt: null }, textFields);
}

export function tasksApi(ctx: CoreContext) {
  const stageOf = async (projectId: string, stageId: string) => {
    const stage = await getStage(ctx.db, stageId, 'stageId');
    if (stage.projectId !== projectId) {
      throw new ApiError('VALIDATION', 'stageId: must be a stage of the task\'s project', { field: 'stageId' });
    }
    return stage;
  };

  /**
   * Writes fields of an existing task in its project doc (`fields` may look at the current map and
   * return null to leave it as it is) and returns the task as `get` will read it back.
   */
  const change = async (
    id: string,
    fields: Record<string, unknown> | ((map: EntityMap) => Record<string, unknown> | null),
    origin: LocalOrigin,
    place?: TaskPlace,
  ): Promise<Task> => {
    const at = place ?? (await ctx.places.task(id));
    return ctx.docs.write(projectRoom(at.workspaceId, at.projectId), origin, (doc) => {
      const map = doc.getMap<unknown>('tasks').get(id);
      if (!(map instanceof Y.Map)) throw new ApiError('NOT_FOUND', `No task with id ${id}`, { id });
      const next = typeof fields === 'function' ? fields(map) : fields;
      if (next) assign(map, { ...next, updatedAt: ctx.now() }, textFields);
      return taskFromDoc(id, map, at);
    });
  };

  return {
    async list({ projectId, ...which }) {
      await getProject(ctx.db, projectId);
      return listTasks(ctx.db, projectId, which);
    },
    async firstWindow({ projectId, perStage }) {
      await getProject(ctx.db, projectId);
      return firstTaskWindow(ctx.db, projectId, perStage);
    },
    async get({ id }) {
      return getTask(ctx.db, id);
    },
    async getMany({ ids }) {
      return getTasks(ctx.db, ids);
    },
    async create({ projectId, stageId, afterId, beforeId, ...fields }, call) {
      // Where the project lives, as registration already looked it up for the mutation queue (cached).
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      const stage = stageId ? await stageOf(projectId, stageId) : (await listStages(ctx.db, projectId))[0];
      if (!stage) throw new ApiError('VALIDATION', 'stageId: the project has no stage to put the task in', { field: 'stageId' });
      await checkMembers(ctx.db, workspaceId, fields.assigneeIds);
      const order = await orderKeyFor(ctx.db, { table: 'tasks', scope: { column: 'stage_id', value: stage.id }, afterId, beforeId });
      const number = await nextTaskNumber(ctx.db, projectId);
      const createdOn = await replicaId(ctx.settings);
      const id = uuidv7();
      const now = ctx.now();
      await ctx.docs.write(projectRoom(workspaceId, projectId), call.origin, (doc) => {
        doc.getMap<unknown>('tasks').set(id, newTaskEntity(fields, { number, stageId: stage.id, order, now, createdOn }));
      });
      return getTask(ctx.db, id);
    },
    async update({ id, ...fields }, call) {
      const place = await ctx.places.task(id);
      if (fields.assigneeIds) await checkMembers(ctx.db, place.workspaceId, fields.assigneeIds);
      return change(id, fields, call.origin, place);
    },
    async move({ id, stageId, afterId, beforeId }, call) {
      const place = await ctx.places.task(id);
      await stageOf(place.projectId, stageId);
      const order = await orderKeyFor(ctx.db, {
        table: 'tasks',
        scope: { column: 'stage_id', value: stageId },
        movingId: id,
        afterId,
        beforeId,
      });
      return change(id, { stageId, order }, call.origin, place);
    },
    async delete({ id }, call) {
      return change(id, (map) => (nullableStr(map, 'deletedAt') ? null : { deletedAt: ctx.now() }), call.origin);
    },
    async restore({ id }, call) {
      return change(id, (map) => (nullableStr(map, 'deletedAt') ? { deletedAt: null } : null), call.origin);
    },
    async purge({ id }, call) {
      const place = await ctx.places.task(id);
      const task = await getTask(ctx.db, id);
      if (!task.deletedAt) {
        throw new ApiError('CONFLICT', `id: ${task.key} is not in the trash; delete it before deleting it forever`, { field: 'id', id });
      }
      // Removing the entry (not a field) is what the other replicas receive: their projection drops the row.
      await ctx.docs.write(projectRoom(place.workspaceId, place.projectId), call.origin, (doc) => {
        doc.getMap<unknown>('tasks').delete(id);
      });
      return { id };
    },
    async history({ id, limit, before }) {
      await ctx.places.task(id);
      return readHistory(ctx, { by: 'entity_id', id, limit, before });
    },
  } satisfies HandlersOf<'tasks'>;
}
