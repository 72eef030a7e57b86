import { EmptyState } from '../../components/empty-state';
import { OfflineBanner, useConnectionStatus } from '../../components/offline-banner';
import { Toasts } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { selectCanManageJobs } from '../../store/jobs-slice';
import { selectCanEdit } from '../../store/sync-slice';
import { JobDialog } from '../jobs/job-dialog';
import { JobsPage } from '../jobs/jobs-page';
import { usePresenceReporter } from '../sync/use-presence-reporter';
import { SettingsDialog } from '../profile/settings-dialog';
import { ProjectDialog } from '../projects/project-dialog';
import { ProjectPage } from '../projects/project-page';
import { CommandPalette } from '../shortcuts/command-palette';
import { ShortcutsDialog } from '../shortcuts/shortcuts-dialog';
import { useGlobalShortcuts } from '../shortcuts/use-global-shortcuts';
import { NewTaskDialog } from '../tasks/new-task-dialog';
import { TaskDetailPanel } from '../tasks/task-detail-panel';
import { TaskQuickEdit } from '../tasks/task-quick-edit';
import { FirstWorkspace } from '../workspaces/first-workspace';
import { Sidebar } from './sidebar';

export function AppShell() {
  useGlobalShortcuts();
  usePresenceReporter();
  const status = useConnectionStatus();
  const workspacesLoaded = useAppStore((s) => s.workspacesLoaded);
  const hasWorkspace = useAppStore((s) => s.currentWorkspaceId !== null);

  let content;
  if (!workspacesLoaded) {
    content = (
      <main className="splash" aria-busy="true">
        <p>{status === 'offline' ? 'Waiting for the Groundwork core…' : status === 'unauthorized' ? 'Not connected: this tab’s token was refused.' : 'Loading…'}</p>
      </main>
    );
  } else if (!hasWorkspace) {
    content = <FirstWorkspace />;
  } else {
    content = <Workspace />;
  }

  return (
    <>
      <OfflineBanner />
      {content}
      <Toasts />
    </>
  );
}

function Workspace() {
  const selectedProjectId = useAppStore((s) => s.selectedProjectId);
  const projectExists = useAppStore((s) => s.projects.some((p) => p.id === s.selectedProjectId));
  const projectsLoaded = useAppStore((s) => s.projectsLoaded);
  const hasProjects = useAppStore((s) => s.projects.length > 0);
  const projectDialog = useAppStore((s) => s.projectDialog);
  const editing = useAppStore((s) => (s.projectDialog?.mode === 'edit' ? s.projects.find((p) => p.id === (s.projectDialog as { projectId: string }).projectId) : undefined));
  const newTaskOpen = useAppStore((s) => s.newTaskOpen);
  const shortcutsOpen = useAppStore((s) => s.shortcutsOpen);
  const settingsOpen = useAppStore((s) => s.settingsOpen);
  const canEdit = useAppStore(selectCanEdit);
  const page = useAppStore((s) => s.page);
  const jobDialog = useAppStore((s) => s.jobDialog);
  const editingJob = useAppStore((s) => (s.jobDialog?.mode === 'edit' ? s.jobs.find((j) => j.id === (s.jobDialog as { jobId: string }).jobId) : undefined));
  const canManageJobs = useAppStore(selectCanManageJobs);
  const ui = useAppStore.getState;

  return (
    <div className="app">
      <Sidebar />
      <main className="main">
        {page === 'jobs' ? (
          <JobsPage />
        ) : selectedProjectId && projectExists ? (
          <ProjectPage projectId={selectedProjectId} />
        ) : !projectsLoaded ? (
          <p className="loading">Loading…</p>
        ) : hasProjects ? (
          <EmptyState title="Pick a project">Choose a project in the sidebar, or press {navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl'} K to jump to one.</EmptyState>
        ) : !canEdit ? (
          <EmptyState title="No projects yet">Nobody has created a project in this workspace yet. They will show up here as soon as someone does.</EmptyState>
        ) : (
          <EmptyState
            title="No projects yet"
            action={
              <button type="button" className="button button-primary" onClick={() => ui().setProjectDialog({ mode: 'create' })}>
                Create your first project
              </button>
            }
          >
            Projects hold your tasks on a board. Start with one for what you are working on now.
          </EmptyState>
        )}
      </main>
      <TaskDetailPanel />
      {canEdit && projectDialog && (projectDialog.mode === 'create' || editing) && (
        <ProjectDialog project={editing} onClose={() => ui().setProjectDialog(null)} />
      )}
      {canEdit && newTaskOpen && selectedProjectId && <NewTaskDialog projectId={selectedProjectId} onClose={() => ui().setNewTaskOpen(false)} />}
      {canManageJobs && jobDialog && (jobDialog.mode === 'create' || editingJob) && (
        <JobDialog job={editingJob} prefill={jobDialog.mode === 'create' ? jobDialog.prefill : undefined} onClose={() => ui().setJobDialog(null)} />
      )}
      {shortcutsOpen && <ShortcutsDialog onClose={() => ui().setShortcutsOpen(false)} />}
      {settingsOpen && <SettingsDialog onClose={() => ui().setSettingsOpen(false)} />}
      <CommandPalette />
      <TaskQuickEdit />
    </div>
  );
}
