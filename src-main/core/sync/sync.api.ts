/** The `sync` namespace: join, publish, leave, invites, status and presence (see sync-manager.ts). */
import type { CoreContext } from '../context';
import type { HandlersOf } from '../api-registration';
import { isApiError, type TeamInvite } from '../../contract';
import { listMembers, requireWorkspace as requireWorkspaceIn } from '../members/members.api';
import { getProfile } from '../profile/profile.api';
import { adoptJoinedWorkspace, deleteWorkspaceReplica, ownMemberKey, rekeyWorkspace } from '../workspaces/workspaces.api';
import { getWorkspace } from '../workspaces/workspaces.repo';
import type { SyncManager } from './sync-manager';

export function syncApi(ctx: CoreContext, sync: SyncManager) {
  const requireWorkspace = (id: string) => requireWorkspaceIn(ctx.db, id);
  const announceOwnMember = async (workspaceId: string) => {
    const memberId = await ctx.settings.get<string>(ownMemberKey(workspaceId));
    if (memberId) await sync.announceMember(workspaceId, memberId);
  };
  /** The relay's invites, each with the current name of the member who joined with it. */
  const listInvites = async (workspaceId: string): Promise<TeamInvite[]> => {
    const [invites, members] = await Promise.all([sync.invites(workspaceId), listMembers(ctx.db, workspaceId)]);
    const names = new Map(members.map((m) => [m.id, m.name]));
    return invites.map(({ memberId, ...invite }) => ({ ...invite, memberName: (memberId && names.get(memberId)) || null }));
  };

  return {
    async status({ workspaceId }) {
      await requireWorkspace(workspaceId);
      return sync.status(workspaceId);
    },
    async join({ invite }) {
      const workspaceId = await sync.join(invite);
      await adoptJoinedWorkspace(ctx, workspaceId, sync.canWrite(workspaceId));
      await announceOwnMember(workspaceId);
      return getWorkspace(ctx.db, workspaceId, workspaceId);
    },
    async publish({ workspaceId, invite }) {
      await requireWorkspace(workspaceId);
      const status = await sync.publish(workspaceId, invite, (from, to) => rekeyWorkspace(ctx, from, to));
      await announceOwnMember(status.workspaceId);
      return status;
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
    async members({ workspaceId }) {
      await requireWorkspace(workspaceId);
      const [members, ownId, fromRelay] = await Promise.all([
        listMembers(ctx.db, workspaceId),
        ctx.settings.get<string>(ownMemberKey(workspaceId)),
        // Offline, the list still shows everyone the doc knows; only roles and visits wait for the relay.
        sync.relayMembers(workspaceId).catch((error: unknown) => {
          if (isApiError(error) && error.code === 'UNAVAILABLE') return [];
          throw error;
        }),
      ]);
      const relayById = new Map(fromRelay.map((m) => [m.memberId, m]));
      return members.map((m) => ({
        id: m.id,
        name: m.name,
        color: m.color,
        role: relayById.get(m.id)?.role ?? (m.id === ownId ? (sync.config(workspaceId)?.role ?? 'owner') : null),
        lastSeenAt: relayById.get(m.id)?.lastSeenAt ?? null,
        isYou: m.id === ownId,
      }));
    },
    async invites({ workspaceId }) {
      await requireWorkspace(workspaceId);
      return listInvites(workspaceId);
    },
    async revokeInvite({ workspaceId, inviteId }) {
      await requireWorkspace(workspaceId);
      await sync.revokeInvite(workspaceId, inviteId);
      return listInvites(workspaceId);
    },
  } satisfies HandlersOf<'sync'>;
}
