import type { StateCreator } from 'zustand';
import { ApiError, isApiError, type InputOf, type Peer, type Presence, type SyncStatus, type Workspace } from '../../src-main/contract';
import { api } from '../api/connection';
import type { AppState } from './app-store';

export type InviteInput = Omit<InputOf<'sync', 'createInvite'>, 'workspaceId'>;

export interface SyncSlice {
  /** Team sync of the current workspace; null until first read. */
  syncStatus: SyncStatus | null;
  /** Other people looking at the current workspace right now. */
  peers: Peer[];
  loadSync(): Promise<void>;
  loadPresence(): Promise<void>;
  /** From the `sync` event: kept only when it is about the current workspace. */
  applySyncStatus(status: SyncStatus): void;
  applyPresence(presence: Presence): void;
  /** Joins the workspace an invite names and switches to it. */
  joinWorkspace(invite: string): Promise<Workspace>;
  publishWorkspace(invite: string): Promise<void>;
  leaveWorkspace(deleteLocalCopy: boolean): Promise<void>;
  createInvite(input: InviteInput): Promise<string>;
}

/** A core without the sync namespace answers NOT_FOUND "Unknown method": treat it as local-only. */
export function isSyncMissing(error: unknown): boolean {
  return isApiError(error) && error.code === 'NOT_FOUND' && /Unknown method/.test(error.message);
}

/** What a workspace that was never joined or published looks like (also the fallback above). */
export function localStatus(workspaceId: string): SyncStatus {
  return { workspaceId, state: 'local', relayUrl: null, role: 'owner', pendingChanges: 0, lastSyncedAt: null, errors: [] };
}

/** Turns the missing-namespace error into words before it reaches a form or a toast. */
function explain(error: unknown): unknown {
  return isSyncMissing(error) ? new ApiError('UNAVAILABLE', 'Team sync is not available in this version of Groundwork.') : error;
}

export const createSyncSlice: StateCreator<AppState, [], [], SyncSlice> = (set, get) => {
  const requireWorkspace = () => {
    const workspaceId = get().currentWorkspaceId;
    if (!workspaceId) throw new Error('Create a workspace first');
    return workspaceId;
  };

  return {
    syncStatus: null,
    peers: [],

    async loadSync() {
      const workspaceId = get().currentWorkspaceId;
      if (!workspaceId) return set({ syncStatus: null });
      let status: SyncStatus;
      try {
        status = await api.sync.status({ workspaceId });
      } catch (error) {
        if (!isSyncMissing(error)) throw error;
        status = localStatus(workspaceId);
      }
      // A status from a workspace we already left must not overwrite the new one's.
      if (get().currentWorkspaceId === workspaceId) set({ syncStatus: status });
    },
    async loadPresence() {
      const workspaceId = get().currentWorkspaceId;
      if (!workspaceId) return set({ peers: [] });
      let peers: Peer[] = [];
      try {
        peers = (await api.sync.presence({ workspaceId })).peers;
      } catch (error) {
        if (!isSyncMissing(error)) throw error;
      }
      if (get().currentWorkspaceId === workspaceId) set({ peers });
    },
    applySyncStatus(status) {
      if (status.workspaceId === get().currentWorkspaceId) set({ syncStatus: status });
    },
    applyPresence(presence) {
      if (presence.workspaceId === get().currentWorkspaceId) set({ peers: presence.peers });
    },
    async joinWorkspace(invite) {
      let workspace: Workspace;
      try {
        workspace = await api.sync.join({ invite });
      } catch (error) {
        throw explain(error);
      }
      await get().switchWorkspace(workspace.id);
      return workspace;
    },
    async publishWorkspace(invite) {
      const workspaceId = requireWorkspace();
      try {
        const status = await api.sync.publish({ workspaceId, invite });
        // Publishing gives the workspace the relay workspace's id: re-read the list under it.
        if (status.workspaceId !== workspaceId) await get().loadWorkspaces();
        // Not the status publish answered: the link may have synced meanwhile, and the status it
        // pushed then was dropped while this page still knew the workspace by its old id.
        await get().loadSync();
      } catch (error) {
        throw explain(error);
      }
    },
    async leaveWorkspace(deleteLocalCopy) {
      const workspaceId = requireWorkspace();
      try {
        await api.sync.leave({ workspaceId, deleteLocalCopy });
      } catch (error) {
        throw explain(error);
      }
      // Deleting the local copy may change the current workspace; either way, read both again.
      await get().loadWorkspaces();
      await Promise.all([get().loadSync(), get().loadPresence()]);
    },
    async createInvite(input) {
      const workspaceId = requireWorkspace();
      try {
        return (await api.sync.createInvite({ workspaceId, ...input })).invite;
      } catch (error) {
        throw explain(error);
      }
    },
  };
};

/** Viewers see the workspace but cannot change it; everyone else (and local-only) can. */
export const selectCanEdit = (state: AppState): boolean => state.syncStatus?.role !== 'viewer';
