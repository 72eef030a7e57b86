import type { StateCreator } from 'zustand';
import { api } from '../api/connection';
import { onInviteLink } from '../api/invites';
import type { AppState } from './app-store';

/** A project's Board, its List, its Trash (deleted tasks: restore or delete for good), or its Code (linked GitHub repos). */
export type ProjectView = 'board' | 'list' | 'trash' | 'code' | 'deploys';
/** What the main area shows: a project (or the overview when none is chosen) or the Jobs page. */
export type Page = 'project' | 'jobs';
export type SettingsTab = 'profile' | 'team-sync' | 'github' | 'webhooks' | 'vercel' | 'backups';
export type ProjectDialogState = { mode: 'create' } | { mode: 'edit'; projectId: string } | null;
/** An invite to pre-fill the Join form with; a new object per arrival, so the same link twice still counts. */
export type InvitePrefill = { invite: string } | null;

export interface UiSlice {
  page: Page;
  selectedProjectId: string | null;
  /** The job whose history the Jobs page shows (`#/jobs/<id>`). */
  selectedJobId: string | null;
  view: ProjectView;
  openTaskId: string | null;
  projectDialog: ProjectDialogState;
  newTaskOpen: boolean;
  shortcutsOpen: boolean;
  paletteOpen: boolean;
  settingsOpen: boolean;
  settingsTab: SettingsTab;
  invitePrefill: InvitePrefill;
  selectProject(id: string | null): void;
  /** The Jobs page, with one job's history open (or none). */
  openJobs(jobId?: string | null): void;
  /** With no project chosen (a start without one in the URL, a workspace switch): back to the workspace's last project and view. */
  restorePlace(): Promise<void>;
  setView(view: ProjectView): void;
  openTask(id: string | null): void;
  setProjectDialog(state: ProjectDialogState): void;
  setNewTaskOpen(open: boolean): void;
  setShortcutsOpen(open: boolean): void;
  setPaletteOpen(open: boolean): void;
  setSettingsOpen(open: boolean): void;
  /** Opens Settings on a tab (the sync status opens it on Team sync). */
  openSettings(tab: SettingsTab): void;
  setSettingsTab(tab: SettingsTab): void;
  /** An invite link opened the desktop app: Settings → Team sync with the Join form pre-filled (not joined). */
  showInvite(invite: string): void;
  clearInvitePrefill(): void;
}

/**
 * `#/project/<id>/<view>` or `#/jobs[/<jobId>]`: the place in the app survives a reload; the
 * token stays in sessionStorage.
 */
export function readLocation(): { page: Page; projectId: string | null; view: ProjectView; jobId: string | null } {
  const jobs = /^#\/jobs(?:\/([0-9a-f-]{36}))?\/?$/i.exec(location.hash);
  if (jobs) return { page: 'jobs', projectId: null, view: 'board', jobId: jobs[1] ?? null };
  const match = /^#\/project\/([0-9a-f-]{36})(?:\/(board|list|trash|code|deploys))?/i.exec(location.hash);
  return { page: 'project', projectId: match?.[1] ?? null, view: (match?.[2] as ProjectView | undefined) ?? 'board', jobId: null };
}

/** The place a person last looked at in a workspace, kept in the core's local preferences. */
interface Place {
  projectId: string;
  view: ProjectView;
}
const placeKey = (workspaceId: string) => `place:${workspaceId}`;

function rememberPlace(workspaceId: string | null, projectId: string | null, view: ProjectView) {
  // Leaving a project because it went away (deleted, workspace switch) is not a choice to remember.
  if (!workspaceId || !projectId) return;
  api.preferences.set({ key: placeKey(workspaceId), value: { projectId, view } satisfies Place }).catch(() => undefined);
}

function writeLocation(projectId: string | null, view: ProjectView) {
  replaceHash(projectId ? `#/project/${projectId}/${view}` : '');
}

function replaceHash(hash: string) {
  if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => {
  onInviteLink((invite) => get().showInvite(invite));
  const start = readLocation();
  return {
    page: start.page,
    view: start.view,
    selectedProjectId: start.projectId,
    selectedJobId: start.jobId,
    openTaskId: null,
    projectDialog: null,
    newTaskOpen: false,
    shortcutsOpen: false,
    paletteOpen: false,
    settingsOpen: false,
    settingsTab: 'profile',
    invitePrefill: null,

    selectProject(id) {
      // Leaving a project that went away (null) keeps the Jobs page if that is what is on screen.
      if (id === null && get().page === 'jobs') return set({ selectedProjectId: null, openTaskId: null });
      set({ page: 'project', selectedProjectId: id, openTaskId: null });
      writeLocation(id, get().view);
      rememberPlace(get().currentWorkspaceId, id, get().view);
    },
    openJobs(jobId = null) {
      set({ page: 'jobs', selectedProjectId: null, selectedJobId: jobId, openTaskId: null });
      replaceHash(jobId ? `#/jobs/${jobId}` : '#/jobs');
    },
    setView(view) {
      set({ view });
      writeLocation(get().selectedProjectId, view);
      rememberPlace(get().currentWorkspaceId, get().selectedProjectId, view);
    },
    async restorePlace() {
      const workspaceId = get().currentWorkspaceId;
      if (!workspaceId || get().selectedProjectId || get().page === 'jobs') return;
      const place = (await api.preferences.get({ key: placeKey(workspaceId) })) as Partial<Place> | null;
      // Only if nothing was chosen meanwhile and the project still exists here.
      if (!place || get().currentWorkspaceId !== workspaceId || get().selectedProjectId || get().page === 'jobs') return;
      if (!get().projects.some((p) => p.id === place.projectId)) return;
      set({ view: place.view === 'list' || place.view === 'code' || place.view === 'deploys' ? place.view : 'board' });
      get().selectProject(place.projectId!);
    },
    openTask: (id) => set({ openTaskId: id }),
    setProjectDialog: (projectDialog) => set({ projectDialog }),
    setNewTaskOpen: (newTaskOpen) => set({ newTaskOpen }),
    setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
    setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
    // The prefill lives as long as the Settings it was opened in.
    setSettingsOpen: (settingsOpen) => set(settingsOpen ? { settingsOpen } : { settingsOpen, invitePrefill: null }),
    openSettings: (settingsTab) => set({ settingsOpen: true, settingsTab }),
    setSettingsTab: (settingsTab) => set({ settingsTab }),
    // Also before the workspaces are read (a link that starts the app): Settings shows once a
    // workspace is; on the first-run screen its Join form takes the prefill instead.
    showInvite: (invite) => set({ invitePrefill: { invite }, settingsOpen: true, settingsTab: 'team-sync' }),
    clearInvitePrefill: () => set({ invitePrefill: null }),
  };
};
