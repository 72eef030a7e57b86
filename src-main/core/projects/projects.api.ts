/**
 * Projects live in the workspace doc (so the sidebar never loads a project doc); their stages and
 * tasks live in the project's own doc. Favourites are personal and stay on this machine.
 */
import { uuidv7 } from 'uuidv7';
import * as Y from 'yjs';
import { ApiError, defaultStageNames } from '../../contract';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../validate';
import { addDefaultStages } from '../stages/stages.api';
import { assign, newEntity } from '../sync/fields';
import { localOrigin } from '../sync/origins';
import { projectRoom, workspaceRoom } from '../sync/rooms';
import { getProject, keyTaken, listProjects, setFavorite } from './projects.repo';
import { suggestProjectKey } from './project-key';

const textFields = ['description', 'notes'] as const;
const projectColors = ['#6366f1', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#ec4899', '#8b5cf6', '#14b8a6'];

export function projectsApi(ctx: CoreContext) {
  /** Writes fields of an existing live project in its workspace doc. */
  const change = async (id: string, fields: Record<string, unknown>) => {
    const project = await getProject(ctx.db, id);
    await ctx.docs.write(workspaceRoom(project.workspaceId), localOrigin(), (doc) => {
      const map = doc.getMap<unknown>('projects').get(id);
      if (!(map instanceof Y.Map)) throw new ApiError('NOT_FOUND', `No project with id ${id}`, { id });
      assign(map, { ...fields, updatedAt: ctx.now() }, textFields);
    });
    return project;
  };

  return {
    async list({ workspaceId, includeArchived }) {
      return listProjects(ctx.db, workspaceId, includeArchived);
    },
    async get({ id }) {
      return getProject(ctx.db, id);
    },
    async create({ workspaceId, favorite, ...fields }) {
      const { rows } = await ctx.db.query('SELECT 1 FROM workspaces WHERE id = $1', [workspaceId]);
      if (rows.length === 0) throw new ApiError('NOT_FOUND', `No workspace with id ${workspaceId}`, { field: 'workspaceId' });
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
      // listed project without stages.
      await ctx.docs.write(projectRoom(workspaceId, id), localOrigin(), (doc) => addDefaultStages(doc, defaultStageNames));
      await ctx.docs.write(workspaceRoom(workspaceId), localOrigin(), (doc) => {
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
      if (favorite) await setFavorite(ctx.db, id, true);
      return getProject(ctx.db, id);
    },
    async update({ id, ...fields }) {
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
      await change(id, { ...fields, deliverables });
      return getProject(ctx.db, id);
    },
    async archive({ id }) {
      const project = await getProject(ctx.db, id);
      if (!project.archivedAt) await change(id, { archivedAt: ctx.now() });
      return getProject(ctx.db, id);
    },
    async unarchive({ id }) {
      await change(id, { archivedAt: null });
      return getProject(ctx.db, id);
    },
    async delete({ id }) {
      await change(id, { deletedAt: ctx.now() });
      await setFavorite(ctx.db, id, false);
      return { id };
    },
    async setFavorite({ id, favorite }) {
      const project = await getProject(ctx.db, id);
      await setFavorite(ctx.db, id, favorite);
      ctx.emit({ workspaceId: project.workspaceId, projectId: id, entity: 'project', ids: [id] });
      return getProject(ctx.db, id);
    },
  } satisfies HandlersOf<'projects'>;
}
