/**
 * Projects live in the workspace doc (so the sidebar never loads a project doc); their stages and
 * tasks live in the project's own doc. Favourites are personal and stay on this machine.
 */
import { uuidv7 } from 'uuidv7';
import * as Y from 'yjs';
import { ApiError, defaultStageNames, suggestProjectKey } from '../../contract';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../api-registration';
import { requireWorkspace } from '../members/members.api';
import { addDefaultStages } from '../stages/stages.api';
import { assign, newEntity } from '../sync/fields';
import type { LocalOrigin } from '../sync/origins';
import { projectRoom, workspaceRoom, type Room } from '../sync/rooms';
import { getProject, keyTaken, listProjects, setFavorite } from './projects.repo';
import { readHistory } from '../history/history.repo';

const textFields = ['description', 'notes'] as const;
const projectColors = ['#6366f1', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#ec4899', '#8b5cf6', '#14b8a6'];

/** Removes an unlisted project doc from this replica: its log, snapshot and rows, in one transaction. */
async function removeProjectDoc(ctx: CoreContext, room: Room): Promise<void> {
  await ctx.docs.forget(room.name);
  // The project's own history rows may still wait in the workspace doc's log: settled first, so
  // they are deleted with the rest rather than appearing later for a project that is gone.
  await ctx.docs.settle();
  await ctx.db.transaction(async (tx) => {
    await tx.query('DELETE FROM doc_updates WHERE room = $1', [room.name]);
    await tx.query('DELETE FROM doc_snapshots WHERE room = $1', [room.name]);
    await tx.query('DELETE FROM tasks WHERE project_id = $1', [room.projectId]);
    await tx.query('DELETE FROM stages WHERE project_id = $1', [room.projectId]);
    await tx.query('DELETE FROM change_history WHERE project_id = $1', [room.projectId]);
  });
}

export function projectsApi(ctx: CoreContext) {
  /** Writes fields of an existing live project in its workspace doc. */
  const change = async (id: string, fields: Record<string, unknown>, origin: LocalOrigin) => {
    const project = await getProject(ctx.db, id);
    await ctx.docs.write(workspaceRoom(project.workspaceId), origin, (doc) => {
      const map = doc.getMap<unknown>('projects').get(id);
      if (!(map instanceof Y.Map)) throw new ApiError('NOT_FOUND', `No project with id ${id}`, { id });
      assign(map, { ...fields, updatedAt: ctx.now() }, textFields);
    });
    return project;
  };

  return {
    async list({ workspaceId, includeArchived }) {
      await requireWorkspace(ctx.db, workspaceId);
      return listProjects(ctx.db, workspaceId, includeArchived);
    },
    async get({ id }) {
      return getProject(ctx.db, id);
    },
    async create({ workspaceId, favorite, ...fields }, call) {
      await requireWorkspace(ctx.db, workspaceId);
      const existing = await ctx.db.query<{ key: string }>(
        'SELECT key FROM projects WHERE workspace_id = $1 AND deleted_at IS NULL',
        [workspaceId],
      );
      const taken = new Set(existing.rows.map((r) => r.key));
      if (fields.key && taken.has(fields.key)) {
        throw new ApiError('CONFLICT', `key: another project already uses the key ${fields.key}`, { field: 'key' });
      }
      const key = fields.key ?? suggestProjectKey(fields.name, (k) => taken.has(k));
      const id = uuidv7();
      const now = ctx.now();
      // Stages first: a crash between the two writes leaves an unlisted project doc, never a
      // listed project without stages; a failed second write removes that doc again.
      const room = projectRoom(workspaceId, id);
      await ctx.docs.write(room, call.origin, (doc) => addDefaultStages(doc, defaultStageNames));
      const listed = ctx.docs.write(workspaceRoom(workspaceId), call.origin, (doc) => {
        const project = newEntity(
          {
            ...fields,
            key,
            deliverables: fields.deliverables.map((d) => ({ id: d.id ?? uuidv7(), text: d.text, done: d.done })),
            color: fields.color ?? projectColors[existing.rows.length % projectColors.length],
            archivedAt: null,
            deletedAt: null,
            createdAt: now,
            updatedAt: now,
          },
          textFields,
        );
        doc.getMap<unknown>('projects').set(id, project);
      });
      await listed.catch(async (error: unknown) => {
        await removeProjectDoc(ctx, room).catch((err: unknown) =>
          ctx.logger.error({ err, room: room.name }, 'could not remove the doc of a project that failed to be created'),
        );
        throw error;
      });
      if (favorite) await setFavorite(ctx.db, id, true);
      return getProject(ctx.db, id);
    },
    async update({ id, ...fields }, call) {
      const before = await getProject(ctx.db, id);
      if (fields.key && fields.key !== before.key && (await keyTaken(ctx.db, before.workspaceId, fields.key, id))) {
        throw new ApiError('CONFLICT', `key: another project already uses the key ${fields.key}`, { field: 'key' });
      }
      const startDate = fields.startDate !== undefined ? fields.startDate : before.startDate;
      const endDate = fields.endDate !== undefined ? fields.endDate : before.endDate;
      if (startDate && endDate && endDate < startDate) {
        throw new ApiError('VALIDATION', 'endDate: must not be before startDate', { field: 'endDate' });
      }
      const deliverables = fields.deliverables?.map((d) => ({ id: d.id ?? uuidv7(), text: d.text, done: d.done }));
      await change(id, { ...fields, deliverables }, call.origin);
      return getProject(ctx.db, id);
    },
    async archive({ id }, call) {
      const project = await getProject(ctx.db, id);
      if (!project.archivedAt) await change(id, { archivedAt: ctx.now() }, call.origin);
      return getProject(ctx.db, id);
    },
    async unarchive({ id }, call) {
      await change(id, { archivedAt: null }, call.origin);
      return getProject(ctx.db, id);
    },
    async delete({ id }, call) {
      await change(id, { deletedAt: ctx.now() }, call.origin);
      await setFavorite(ctx.db, id, false);
      return { id };
    },
    async history({ id, limit, before }) {
      await getProject(ctx.db, id);
      return readHistory(ctx, { by: 'project_id', id, limit, before });
    },
    async setFavorite({ id, favorite }) {
      const project = await getProject(ctx.db, id);
      await setFavorite(ctx.db, id, favorite);
      ctx.emit({ workspaceId: project.workspaceId, projectId: id, entity: 'project', ids: [id] });
      return getProject(ctx.db, id);
    },
  } satisfies HandlersOf<'projects'>;
}
