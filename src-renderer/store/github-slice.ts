import type { StateCreator } from 'zustand';
import type { GithubAccount, GithubAction, GithubEvent, GithubRepoLink, GithubRepoSync } from '../../src-main/contract';
import { api } from '../api/connection';
import type { AppState } from './app-store';

/**
 * GitHub as the views share it: this machine's connection (Settings, the Code view and a task's
 * Code section all ask "connected?"), each project's linked repos, the latest sync per repo, and
 * this machine's queued actions (kept current by the `github` event). A project's `revision`
 * moves when its GitHub data changed (a sync, task links, moves): views showing it re-read.
 */
export interface GithubSlice {
  /** undefined until read; null: not connected on this machine. */
  githubAccount: GithubAccount | null | undefined;
  githubLinksByProject: Record<string, GithubRepoLink[]>;
  githubRevisionByProject: Record<string, number>;
  /** The latest sync of each repo of a project (`syncNow`'s reply or the `synced` event), by repo. */
  githubSyncsByProject: Record<string, Record<string, GithubRepoSync>>;
  /** This machine's actions by id: from `github.queue`, the create calls' replies and `action` events. */
  githubActions: Record<string, GithubAction>;
  /** The workspace whose queue was read (null: not read yet). */
  githubQueueWorkspaceId: string | null;
  loadGithubAccount(): Promise<void>;
  setGithubAccount(account: GithubAccount | null): void;
  loadGithubLinks(projectId: string): Promise<void>;
  loadGithubQueue(): Promise<void>;
  /** An action as a reply or event told it. */
  putGithubAction(action: GithubAction): void;
  noteGithubSyncs(projectId: string, syncs: GithubRepoSync[]): void;
  /** Something of the project's GitHub data changed: bump its revision. */
  noteGithubChange(projectId: string): void;
  applyGithubEvent(event: GithubEvent): void;
}

export const createGithubSlice: StateCreator<AppState, [], [], GithubSlice> = (set, get) => ({
  githubAccount: undefined,
  githubLinksByProject: {},
  githubRevisionByProject: {},
  githubSyncsByProject: {},
  githubActions: {},
  githubQueueWorkspaceId: null,

  async loadGithubAccount() {
    set({ githubAccount: await api.github.account() });
  },
  setGithubAccount: (githubAccount) => set({ githubAccount }),
  async loadGithubLinks(projectId) {
    const links = await api.github.links({ projectId });
    set({ githubLinksByProject: { ...get().githubLinksByProject, [projectId]: links } });
  },
  async loadGithubQueue() {
    const workspaceId = get().currentWorkspaceId;
    if (!workspaceId) return;
    const actions = await api.github.queue({ workspaceId });
    if (get().currentWorkspaceId !== workspaceId) return;
    set({ githubActions: { ...get().githubActions, ...Object.fromEntries(actions.map((a) => [a.id, a])) }, githubQueueWorkspaceId: workspaceId });
  },
  putGithubAction(action) {
    const known = get().githubActions[action.id];
    // Replies and events can cross: the newer state wins.
    if (known && known.updatedAt > action.updatedAt) return;
    set({ githubActions: { ...get().githubActions, [action.id]: action } });
  },
  noteGithubSyncs(projectId, syncs) {
    const before = get().githubSyncsByProject[projectId] ?? {};
    set({ githubSyncsByProject: { ...get().githubSyncsByProject, [projectId]: { ...before, ...Object.fromEntries(syncs.map((s) => [s.repo, s])) } } });
    get().noteGithubChange(projectId);
  },
  noteGithubChange(projectId) {
    const revisions = get().githubRevisionByProject;
    set({ githubRevisionByProject: { ...revisions, [projectId]: (revisions[projectId] ?? 0) + 1 } });
  },
  applyGithubEvent(event) {
    if (event.kind === 'action') get().putGithubAction(event.action);
    else get().noteGithubSyncs(event.projectId, [event.sync]);
  },
});

/** The current workspace's actions, newest first. */
export function selectGithubQueue(state: AppState): GithubAction[] {
  return Object.values(state.githubActions)
    .filter((a) => a.workspaceId === state.currentWorkspaceId)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
