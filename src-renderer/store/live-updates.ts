/**
 * Keeps the store current from the core's change events. Tasks are re-read by id only (a big
 * project must not re-query everything per keystroke elsewhere); the small lists — workspaces,
 * projects, stages, members — are simply fetched again.
 */
import type { ChangeEvent } from '../../src-main/contract';
import { followWorkspace, onChanged, onEvent, onReconnected } from '../api/connection';
import { toastError, toastInfo } from '../components/toasts';
import { alertJob } from '../features/jobs/job-alerts';
import { useAppStore } from './app-store';

export function startLiveUpdates(): () => void {
  const offChanged = onChanged((event) => {
    handle(event).catch(toastError);
  });
  const offSync = onEvent('sync', (status) => useAppStore.getState().applySyncStatus(status));
  const offPresence = onEvent('presence', (presence) => useAppStore.getState().applyPresence(presence));
  const offNotification = onEvent('notification', ({ title, body }) => toastInfo(body ? `${title}: ${body}` : title));
  const offJobs = onEvent('jobs', (event) => {
    useAppStore.getState().applyJobEvent(event);
    if (event.alert) alertJob(event);
  });
  const offGithub = onEvent('github', (event) => useAppStore.getState().applyGithubEvent(event));
  // Events are subscribed per workspace: follow the one on screen.
  followWorkspace(useAppStore.getState().currentWorkspaceId);
  const offFollow = useAppStore.subscribe((state) => followWorkspace(state.currentWorkspaceId));
  // Events sent while we were disconnected are gone: re-read everything the views show.
  const offReconnected = onReconnected(() => {
    refreshAll().catch(toastError);
  });
  return () => {
    offChanged();
    offSync();
    offPresence();
    offNotification();
    offJobs();
    offGithub();
    offFollow();
    offReconnected();
  };
}

// Task counts on projects (sidebar, header) change with tasks: re-read the small project list once
// a burst of task events — local or from a teammate — has settled, not once per event.
let projectsTimer: ReturnType<typeof setTimeout> | undefined;
function refreshProjectsSoon() {
  clearTimeout(projectsTimer);
  projectsTimer = setTimeout(() => {
    useAppStore.getState().loadProjects().catch(toastError);
  }, 400);
}

export async function refreshAll(): Promise<void> {
  const store = useAppStore.getState();
  const [workspaceChanged] = await Promise.all([store.loadWorkspaces(), store.loadProfile()]);
  await Promise.all([
    // A workspace that changed (at start: none before) had these read by loadWorkspaces.
    ...(workspaceChanged ? [] : [store.loadProjects(), store.loadMembers(), store.loadSync(), store.loadPresence(), store.loadJobs()]),
    store.loadJobTypes(),
    ...Object.keys(useAppStore.getState().executionsByJob).map((id) => store.loadExecutions(id)),
    ...Object.keys(useAppStore.getState().tasksByProject).map((id) => store.loadProject(id)),
    ...refreshGithub(),
  ]);
}

/** What the GitHub views show, read again (after a reconnect: events sent meanwhile are lost). */
function refreshGithub(): Promise<void>[] {
  const store = useAppStore.getState();
  const projectIds = Object.keys(store.githubLinksByProject);
  for (const id of Object.keys(store.githubRevisionByProject)) store.noteGithubChange(id);
  return [
    ...(store.githubAccount === undefined ? [] : [store.loadGithubAccount()]),
    ...projectIds.map((id) => store.loadGithubLinks(id)),
    ...(store.githubQueueWorkspaceId ? [store.loadGithubQueue().catch(() => undefined)] : []),
  ];
}

async function handle(event: ChangeEvent): Promise<void> {
  const store = useAppStore.getState();
  const inCurrentWorkspace = event.workspaceId === null || event.workspaceId === store.currentWorkspaceId;
  switch (event.entity) {
    case 'workspace':
      await store.loadWorkspaces();
      return;
    case 'profile':
      return store.loadProfile();
    case 'member':
      if (inCurrentWorkspace) await store.loadMembers();
      return;
    case 'project':
      if (!inCurrentWorkspace) return;
      await store.loadProjects();
      // A project removed elsewhere: leave its page rather than show a ghost.
      for (const id of event.ids) {
        if (!useAppStore.getState().projects.some((p) => p.id === id)) {
          store.forgetProject(id);
          if (useAppStore.getState().selectedProjectId === id) store.selectProject(null);
        }
      }
      return;
    case 'stage':
      if (event.projectId && store.stagesByProject[event.projectId]) await store.loadStages(event.projectId);
      return;
    case 'job':
      // Definitions and the runner's summaries: a small list, read again whole.
      if (inCurrentWorkspace) await store.loadJobs();
      return;
    case 'githubLink':
      await Promise.all(
        Object.keys(store.githubLinksByProject)
          .filter((id) => !event.projectId || id === event.projectId)
          .map((id) => store.loadGithubLinks(id)),
      );
      return;
    case 'githubTaskLink':
    case 'githubMove':
      // Views of the project's code (the Code view, an open task's Code section) re-read.
      if (event.projectId) store.noteGithubChange(event.projectId);
      return;
    case 'task':
      if (inCurrentWorkspace) refreshProjectsSoon();
      if (event.projectId && !store.tasksByProject[event.projectId]) return;
      await store.refreshTasks(event.ids);
      return;
  }
}
