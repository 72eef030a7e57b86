/** The `sync` namespace: join, publish, leave, invites, status and presence (see sync-manager.ts). */
import type { CoreContext } from '../context';
import type { HandlersOf } from '../api-registration';
import { requireWorkspace as requireWorkspaceIn } from '../members/members.api';
import { getProfile } from '../profile/profile.api';
import { adoptJoinedWorkspace, deleteWorkspaceReplica, ownMemberKey, rekeyWorkspace } from '../workspaces/workspaces.api';
import { getWorkspace } from '../workspaces/workspaces.repo';
import type { SyncManager } from './sync-manager';

export function syncApi(ctx: CoreContext, sync: SyncManager) {
  const requireWorkspace = (id: string) => requireWorkspaceIn(ctx.db, id);

  return {
    async status({ workspaceId }) {
      await requireWorkspace(workspaceId);
      return sync.status(workspaceId);
    },
    async join({ invite }) {
      const workspaceId = await sync.join(invite);
      await adoptJoinedWorkspace(ctx, workspaceId, sync.canWrite(workspaceId));
      return getWorkspace(ctx.db, workspaceId, workspaceId);
    },
    async publish({ workspaceId, invite }) {
      await requireWorkspace(workspaceId);
      return sync.publish(workspaceId, invite, (from, to) => rekeyWorkspace(ctx, from, to));
    },
    async leave({ workspaceId, deleteLocalCopy }) {
      await requireWorkspace(workspaceId);
      await sync.leave(workspaceId);
      if (deleteLocalCopy) await deleteWorkspaceReplica(ctx, workspaceId);
      return { workspaceId };
    },
    async createInvite({ workspaceId, ...input }) {
      await requireWorkspace(workspaceId);
      return { invite: await sync.createInvite(workspaceId, input) };
    },
    async setPresence({ workspaceId, projectId, taskId }, { caller }) {
      const profile = await getProfile(ctx);
      const memberId = await ctx.settings.get<string>(ownMemberKey(workspaceId));
      const { rows } = await ctx.db.query<{ color: string }>('SELECT color FROM members WHERE id = $1', [memberId ?? '00000000-0000-0000-0000-000000000000']);
      sync.setPresence(workspaceId, caller.connectionId, { name: profile.displayName, color: rows[0]?.color ?? '#6366f1', memberId: memberId ?? null, projectId, taskId });
    },
    async presence({ workspaceId }) {
      return sync.presence(workspaceId);
    },
  } satisfies HandlersOf<'sync'>;
}
