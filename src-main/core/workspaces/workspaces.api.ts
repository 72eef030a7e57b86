import { uuidv7 } from 'uuidv7';
import { ApiError } from '../../contract';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../api-registration';
import { addMember, memberColor } from '../members/members.api';
import { getProfile } from '../profile/profile.api';
import { localOrigin } from '../sync/origins';
import { workspaceRoom } from '../sync/rooms';
import { getWorkspace, listWorkspaces } from './workspaces.repo';

const CURRENT = 'currentWorkspaceId';
/** This machine's own member id in a workspace (who "me" is there). */
export const ownMemberKey = (workspaceId: string) => `member:${workspaceId}`;

export async function currentWorkspaceId(ctx: CoreContext): Promise<string | null> {
  const saved = await ctx.settings.get<string>(CURRENT);
  if (saved) {
    const { rows } = await ctx.db.query('SELECT 1 FROM workspaces WHERE id = $1', [saved]);
    if (rows.length > 0) return saved;
  }
  const { rows } = await ctx.db.query<{ id: string }>('SELECT id FROM workspaces ORDER BY created_at, id LIMIT 1');
  return rows[0]?.id ?? null;
}

/**
 * A workspace just joined from a relay: make it current, and (unless this machine only views it)
 * add the local profile as a member so teammates can assign tasks to us.
 */
export async function adoptJoinedWorkspace(ctx: CoreContext, workspaceId: string, canWrite: boolean): Promise<void> {
  if (canWrite && !(await ctx.settings.get<string>(ownMemberKey(workspaceId)))) {
    const profile = await getProfile(ctx);
    const memberId = uuidv7();
    const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM members WHERE workspace_id = $1', [workspaceId]);
    await ctx.docs.write(workspaceRoom(workspaceId), localOrigin(memberId), (doc) =>
      addMember(doc, memberId, profile.displayName, memberColor(rows[0]?.n ?? 0)),
    );
    await ctx.settings.set(ownMemberKey(workspaceId), memberId);
  }
  await ctx.settings.set(CURRENT, workspaceId);
  ctx.emit({ workspaceId, projectId: null, entity: 'workspace', ids: [workspaceId] });
}

/**
 * Gives a local workspace the id of the relay workspace it is published to, so every replica
 * names it the same (rooms, rows, links). One transaction: all renamed or nothing.
 */
export async function rekeyWorkspace(ctx: CoreContext, from: string, to: string): Promise<void> {
  if (from === to) return;
  const { rows } = await ctx.db.query('SELECT 1 FROM workspaces WHERE id = $1', [to]);
  if (rows.length > 0) throw new ApiError('CONFLICT', 'invite: this machine already has the workspace that invite is for', { field: 'invite' });
  await ctx.docs.forget(`${from}/`);
  await ctx.db.transaction(async (tx) => {
    const rename = (table: string) =>
      tx.query(`UPDATE ${table} SET room = $2 || substr(room, length($1) + 1) WHERE room LIKE $1 || '/%'`, [from, to]);
    await rename('doc_updates');
    await rename('doc_snapshots');
    await tx.query('UPDATE workspaces SET id = $2 WHERE id = $1', [from, to]);
    await tx.query('UPDATE projects SET workspace_id = $2 WHERE workspace_id = $1', [from, to]);
    await tx.query('UPDATE members SET workspace_id = $2 WHERE workspace_id = $1', [from, to]);
    await tx.query('UPDATE jobs SET workspace_id = $2 WHERE workspace_id = $1', [from, to]);
    await tx.query('UPDATE github_links SET workspace_id = $2 WHERE workspace_id = $1', [from, to]);
    for (const table of ['webhook_endpoints', 'webhook_secrets', 'webhook_events', 'webhook_deliveries']) {
      await tx.query(`UPDATE ${table} SET workspace_id = $2 WHERE workspace_id = $1`, [from, to]);
    }
    await tx.query('UPDATE vercel_links SET workspace_id = $2 WHERE workspace_id = $1', [from, to]);
    await tx.query('UPDATE vercel_followed_builds SET workspace_id = $2 WHERE workspace_id = $1', [from, to]);
    await tx.query('UPDATE job_executions SET workspace_id = $2 WHERE workspace_id = $1', [from, to]);
    await tx.query("UPDATE settings SET key = $2 WHERE key = $1", [ownMemberKey(from), ownMemberKey(to)]);
    await tx.query("UPDATE settings SET value = to_jsonb($2::text) WHERE key = $3 AND value #>> '{}' = $1", [from, to, CURRENT]);
  });
  ctx.emit({ workspaceId: to, projectId: null, entity: 'workspace', ids: [from, to] });
}

/** Removes a workspace's replica from this machine (its docs, rows and local settings). */
export async function deleteWorkspaceReplica(ctx: CoreContext, workspaceId: string): Promise<void> {
  await ctx.docs.forget(`${workspaceId}/`);
  await ctx.db.transaction(async (tx) => {
    const like = `${workspaceId}/%`;
    await tx.query('DELETE FROM doc_updates WHERE room LIKE $1', [like]);
    await tx.query('DELETE FROM doc_snapshots WHERE room LIKE $1', [like]);
    await tx.query('DELETE FROM change_history WHERE project_id IN (SELECT id FROM projects WHERE workspace_id = $1)', [workspaceId]);
    await tx.query('DELETE FROM tasks WHERE project_id IN (SELECT id FROM projects WHERE workspace_id = $1)', [workspaceId]);
    await tx.query('DELETE FROM stages WHERE project_id IN (SELECT id FROM projects WHERE workspace_id = $1)', [workspaceId]);
    await tx.query('DELETE FROM github_task_links WHERE project_id IN (SELECT id FROM projects WHERE workspace_id = $1)', [workspaceId]);
    await tx.query('DELETE FROM github_task_moves WHERE project_id IN (SELECT id FROM projects WHERE workspace_id = $1)', [workspaceId]);
    await tx.query('DELETE FROM favorites WHERE project_id IN (SELECT id FROM projects WHERE workspace_id = $1)', [workspaceId]);
    await tx.query('DELETE FROM projects WHERE workspace_id = $1', [workspaceId]);
    await tx.query('DELETE FROM members WHERE workspace_id = $1', [workspaceId]);
    await tx.query('DELETE FROM job_log WHERE execution_id IN (SELECT id FROM job_executions WHERE workspace_id = $1)', [workspaceId]);
    await tx.query('DELETE FROM job_executions WHERE workspace_id = $1', [workspaceId]);
    await tx.query('DELETE FROM jobs WHERE workspace_id = $1', [workspaceId]);
    await tx.query('DELETE FROM github_links WHERE workspace_id = $1', [workspaceId]);
    for (const table of ['webhook_deliveries', 'webhook_events', 'webhook_secrets', 'webhook_endpoints']) {
      await tx.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [workspaceId]);
    }
    await tx.query('DELETE FROM vercel_links WHERE workspace_id = $1', [workspaceId]);
    await tx.query('DELETE FROM vercel_followed_builds WHERE workspace_id = $1', [workspaceId]);
    await tx.query('DELETE FROM workspaces WHERE id = $1', [workspaceId]);
    await tx.query("DELETE FROM settings WHERE key = $1 OR key LIKE $2", [ownMemberKey(workspaceId), `sync-acked:${workspaceId}/%`]);
  });
  ctx.emit({ workspaceId: null, projectId: null, entity: 'workspace', ids: [workspaceId] });
}

export function workspacesApi(ctx: CoreContext) {
  return {
    async list() {
      return listWorkspaces(ctx.db, await currentWorkspaceId(ctx));
    },
    async current() {
      const id = await currentWorkspaceId(ctx);
      return id ? getWorkspace(ctx.db, id, id) : null;
    },
    async create({ name }, call) {
      const id = uuidv7();
      const profile = await getProfile(ctx);
      const memberId = uuidv7();
      await ctx.docs.write(workspaceRoom(id), { ...call.origin, memberId }, (doc) => {
        const meta = doc.getMap('meta');
        meta.set('id', id);
        meta.set('name', name);
        meta.set('createdAt', ctx.now());
        addMember(doc, memberId, profile.displayName, memberColor(0));
      });
      await ctx.settings.set(ownMemberKey(id), memberId);
      if (!(await ctx.settings.get(CURRENT))) await ctx.settings.set(CURRENT, id);
      return getWorkspace(ctx.db, id, await currentWorkspaceId(ctx));
    },
    async rename({ id, name }, call) {
      await getWorkspace(ctx.db, id, null);
      await ctx.docs.write(workspaceRoom(id), call.origin, (doc) => doc.getMap('meta').set('name', name));
      return getWorkspace(ctx.db, id, await currentWorkspaceId(ctx));
    },
    async switch({ id }) {
      await getWorkspace(ctx.db, id, null);
      await ctx.settings.set(CURRENT, id);
      // Local-only change (no doc is written), so the event is ours to send.
      ctx.emit({ workspaceId: id, projectId: null, entity: 'workspace', ids: [id] });
      return getWorkspace(ctx.db, id, id);
    },
  } satisfies HandlersOf<'workspaces'>;
}
