/** Members: the people tasks can be assigned to, kept in the workspace doc. */
import type { PGlite } from '@electric-sql/pglite';
import { uuidv7 } from 'uuidv7';
import * as Y from 'yjs';
import { ApiError, type Member } from '../../contract';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../api-registration';
import { newEntity } from '../sync/fields';
import { workspaceRoom } from '../sync/rooms';

const palette = ['#6366f1', '#f59e0b', '#10b981', '#ef4444', '#3b82f6', '#ec4899', '#14b8a6', '#8b5cf6'];
export const memberColor = (index: number) => palette[index % palette.length]!;

export function addMember(doc: Y.Doc, id: string, name: string, color: string): void {
  doc.getMap<unknown>('members').set(id, newEntity({ name, color }));
}

export async function listMembers(db: PGlite, workspaceId: string): Promise<Member[]> {
  const { rows } = await db.query<{ id: string; workspace_id: string; name: string; color: string }>(
    'SELECT id, workspace_id, name, color FROM members WHERE workspace_id = $1 ORDER BY lower(name), id',
    [workspaceId],
  );
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, name: r.name, color: r.color }));
}

/** Throws NOT_FOUND naming the field `workspaceId` unless this replica has that workspace. */
export async function requireWorkspace(db: PGlite, workspaceId: string): Promise<void> {
  const { rows } = await db.query('SELECT 1 FROM workspaces WHERE id = $1', [workspaceId]);
  if (rows.length === 0) throw new ApiError('NOT_FOUND', `No workspace with id ${workspaceId}`, { field: 'workspaceId' });
}

/** Throws a VALIDATION error naming the first id that is not a member of the workspace. */
export async function checkMembers(db: PGlite, workspaceId: string, ids: string[], field = 'assigneeIds'): Promise<void> {
  if (ids.length === 0) return;
  const { rows } = await db.query<{ id: string }>('SELECT id FROM members WHERE workspace_id = $1 AND id = ANY($2::uuid[])', [
    workspaceId,
    ids,
  ]);
  const known = new Set(rows.map((r) => r.id));
  const index = ids.findIndex((id) => !known.has(id));
  if (index >= 0) {
    throw new ApiError('VALIDATION', `${field}.${index}: ${ids[index]} is not a member of this workspace`, {
      field: `${field}.${index}`,
    });
  }
}

export function membersApi(ctx: CoreContext) {
  return {
    async list({ workspaceId }) {
      await requireWorkspace(ctx.db, workspaceId);
      return listMembers(ctx.db, workspaceId);
    },
    async create({ workspaceId, name, color }, call) {
      await requireWorkspace(ctx.db, workspaceId);
      const existing = await listMembers(ctx.db, workspaceId);
      const id = uuidv7();
      await ctx.docs.write(workspaceRoom(workspaceId), call.origin, (doc) =>
        addMember(doc, id, name, color ?? memberColor(existing.length)),
      );
      return (await listMembers(ctx.db, workspaceId)).find((m) => m.id === id)!;
    },
  } satisfies HandlersOf<'members'>;
}
