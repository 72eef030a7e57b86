import type { StateCreator } from 'zustand';
import type { Member, Profile, Workspace } from '../../src-main/contract';
import { api } from '../api/connection';
import type { AppState } from './app-store';

export interface WorkspacesSlice {
  /** False until the first workspaces list arrived: lets the shell tell "loading" from "none yet". */
  workspacesLoaded: boolean;
  workspaces: Workspace[];
  currentWorkspaceId: string | null;
  profile: Profile | null;
  members: Member[];
  /** Resolves with whether the workspace on screen changed (the first load too): its lists were then read anew. */
  loadWorkspaces(): Promise<boolean>;
  loadProfile(): Promise<void>;
  loadMembers(): Promise<void>;
  createWorkspace(name: string): Promise<Workspace>;
  renameWorkspace(id: string, name: string): Promise<void>;
  switchWorkspace(id: string): Promise<void>;
  updateProfile(displayName: string): Promise<void>;
}

export const createWorkspacesSlice: StateCreator<AppState, [], [], WorkspacesSlice> = (set, get) => ({
  workspacesLoaded: false,
  workspaces: [],
  currentWorkspaceId: null,
  profile: null,
  members: [],

  async loadWorkspaces() {
    const workspaces = await api.workspaces.list({});
    const current = workspaces.find((w) => w.current)?.id ?? null;
    const previous = get().currentWorkspaceId;
    set({ workspaces, currentWorkspaceId: current, workspacesLoaded: true });
    if (current !== previous) {
      // First load keeps the project named in the URL; a real switch starts from the overview.
      if (previous !== null) {
        get().resetProjectState();
        // The Jobs page stays, showing the new workspace's jobs; the old one's job is not among them.
        if (get().page === 'jobs') get().openJobs(null);
      }
      // The previous workspace's sync status and peers must not show (or gate editing) meanwhile.
      set({ syncStatus: null, peers: [] });
      await Promise.all([get().loadProjects(), get().loadMembers(), get().loadSync(), get().loadPresence(), get().loadJobs()]);
      await get().restorePlace();
    }
    return current !== previous;
  },
  async loadProfile() {
    set({ profile: await api.profile.get({}) });
  },
  async loadMembers() {
    const workspaceId = get().currentWorkspaceId;
    const members = workspaceId ? await api.members.list({ workspaceId }) : [];
    // The same members again (a re-read after an event or a reconnect) keep their array: every
    // card on the board shows avatars from it and would render again for nothing.
    if (JSON.stringify(members) !== JSON.stringify(get().members)) set({ members });
  },
  async createWorkspace(name) {
    const workspace = await api.workspaces.create({ name });
    await get().loadWorkspaces();
    return workspace;
  },
  async renameWorkspace(id, name) {
    const renamed = await api.workspaces.rename({ id, name });
    set({ workspaces: get().workspaces.map((w) => (w.id === id ? renamed : w)) });
  },
  async switchWorkspace(id) {
    await api.workspaces.switch({ id });
    await get().loadWorkspaces();
  },
  async updateProfile(displayName) {
    set({ profile: await api.profile.update({ displayName }) });
    // The local profile is also a member; its name shows on avatars.
    await get().loadMembers();
  },
});
