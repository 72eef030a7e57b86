/**
 * Where entities live: the project and workspace of a task, the workspace of a project or stage.
 * Writes need it first (which doc to open, which workspace's mutations to join), so it is cached.
 * A task never changes project, but a project can change key (the cached task key prefix) and a
 * workspace its id (publishing re-keys it): the caches are dropped on any project or workspace change.
 */
import type { PGlite } from '@electric-sql/pglite';
import { ApiError, type ChangeEvent } from '../contract';
import { getStage } from './stages/stages.repo';
import { getTaskPlace, type TaskPlace } from './tasks/tasks.repo';

export interface Places {
  task(id: string): Promise<TaskPlace>;
  /** The workspace of a live project (NOT_FOUND otherwise). */
  projectWorkspace(id: string, field?: string): Promise<string>;
  /** The workspace of a stage of a live project (NOT_FOUND otherwise). */
  stageWorkspace(id: string): Promise<string>;
  /** The workspace of a live job (NOT_FOUND otherwise); not cached, jobs are few. */
  jobWorkspace(id: string, field?: string): Promise<string>;
  /** The workspace of a live webhook endpoint (NOT_FOUND otherwise); not cached, endpoints are few. */
  webhookWorkspace(id: string, field?: string): Promise<string>;
  /** The workspace of a webhook delivery on this device (NOT_FOUND otherwise). */
  webhookDeliveryWorkspace(id: string, field?: string): Promise<string>;
}

const maxCached = 100_000;

export function entityPlaces(db: PGlite, onChange: (listener: (event: ChangeEvent) => void) => void): Places {
  const tasks = new Map<string, TaskPlace>();
  const projects = new Map<string, string>();
  const stages = new Map<string, string>();
  onChange((event) => {
    if (event.entity === 'project' || event.entity === 'workspace') {
      tasks.clear();
      projects.clear();
      stages.clear();
    }
  });
  const remember = <T>(cache: Map<string, T>, id: string, value: T) => {
    if (cache.size >= maxCached) cache.clear();
    cache.set(id, value);
    return value;
  };
  const workspaceOfProject = async (id: string, field: string) => {
    const { rows } = await db.query<{ workspace_id: string }>('SELECT workspace_id FROM projects WHERE id = $1 AND deleted_at IS NULL', [id]);
    if (!rows[0]) throw new ApiError('NOT_FOUND', `No project with id ${id}`, { id, field });
    return rows[0].workspace_id;
  };
  return {
    async task(id) {
      return tasks.get(id) ?? remember(tasks, id, await getTaskPlace(db, id));
    },
    async projectWorkspace(id, field = 'id') {
      return (
        projects.get(id) ??
        remember(projects, id, await workspaceOfProject(id, field))
      );
    },
    async stageWorkspace(id) {
      return stages.get(id) ?? remember(stages, id, (await getStage(db, id)).workspaceId);
    },
    async jobWorkspace(id, field = 'id') {
      const { rows } = await db.query<{ workspace_id: string }>('SELECT workspace_id FROM jobs WHERE id = $1 AND deleted_at IS NULL', [id]);
      if (!rows[0]) throw new ApiError('NOT_FOUND', `No job with id ${id}`, { id, field });
      return rows[0].workspace_id;
    },
    async webhookWorkspace(id, field = 'id') {
      const { rows } = await db.query<{ workspace_id: string }>('SELECT workspace_id FROM webhook_endpoints WHERE id = $1 AND deleted_at IS NULL', [id]);
      if (!rows[0]) throw new ApiError('NOT_FOUND', `${field}: no webhook endpoint ${id}`, { id, field });
      return rows[0].workspace_id;
    },
    async webhookDeliveryWorkspace(id, field = 'deliveryId') {
      const { rows } = await db.query<{ workspace_id: string }>('SELECT workspace_id FROM webhook_deliveries WHERE id = $1', [id]);
      if (!rows[0]) throw new ApiError('NOT_FOUND', `${field}: no webhook delivery ${id} on this device`, { id, field });
      return rows[0].workspace_id;
    },
  };
}
