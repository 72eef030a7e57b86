import { useState } from 'react';
import type { Project } from '../../../src-main/contract';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { MenuButton } from '../../components/menu-button';
import { statusLabels } from '../../components/format';
import { toastError, toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';
import { PresenceAvatars } from '../sync/presence-avatars';
import { ViewOnlyBadge } from '../sync/view-only-badge';

export function ProjectHeader({ project }: { project: Project }) {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const setProjectDialog = useAppStore((s) => s.setProjectDialog);
  const setNewTaskOpen = useAppStore((s) => s.setNewTaskOpen);
  const setFavorite = useAppStore((s) => s.setFavorite);
  const archiveProject = useAppStore((s) => s.archiveProject);
  const deleteProject = useAppStore((s) => s.deleteProject);
  const canEdit = useAppStore(selectCanEdit);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const archived = Boolean(project.archivedAt);

  return (
    <header className="project-header">
      <div className="project-title-row">
        <span className="project-dot project-dot-lg" style={{ background: project.color }} aria-hidden="true" />
        <h1 className="project-title">{project.name}</h1>
        <span className="project-key" aria-label={`Key ${project.key}`}>
          {project.key}
        </span>
        <span className={`status-pill status-${project.status}`}>{statusLabels[project.status]}</span>
        {archived && <span className="status-pill">Archived</span>}
        <span className="project-progress" title="Tasks done">
          {project.doneTaskCount}/{project.taskCount} done
        </span>
        <ViewOnlyBadge />
        <div className="spacer" />
        <PresenceAvatars projectId={project.id} />
        <button
          type="button"
          className="icon-button"
          aria-label={project.favorite ? 'Remove from favorites' : 'Add to favorites'}
          aria-pressed={project.favorite}
          title={project.favorite ? 'Remove from favorites' : 'Add to favorites'}
          onClick={() => setFavorite(project.id, !project.favorite).catch(toastError)}
        >
          {project.favorite ? '★' : '☆'}
        </button>
        {canEdit && (
          <>
            <button type="button" className="button" onClick={() => setProjectDialog({ mode: 'edit', projectId: project.id })}>
              Edit project
            </button>
            <button type="button" className="button button-primary" title="New task (C)" onClick={() => setNewTaskOpen(true)}>
              New task
            </button>
            <MenuButton
              label="Project options"
              items={[
                {
                  label: archived ? 'Unarchive project' : 'Archive project',
                  onSelect: () =>
                    archiveProject(project.id, !archived).then(() => toastInfo(archived ? 'Project restored from the archive' : 'Project archived'), toastError),
                },
                { label: 'Delete project…', danger: true, onSelect: () => setConfirmDelete(true) },
              ]}
            />
          </>
        )}
      </div>
      {/* The client, dates and the rest are in the overview below (project-overview.tsx). */}
      {project.description && (
        <p className="project-meta">
          <span className="project-description">{project.description}</span>
        </p>
      )}
      <div className="view-tabs" role="tablist" aria-label="View">
        <button type="button" role="tab" aria-selected={view === 'board'} title="Board (B)" onClick={() => setView('board')}>
          Board
        </button>
        <button type="button" role="tab" aria-selected={view === 'list'} title="List (L)" onClick={() => setView('list')}>
          List
        </button>
        <button type="button" role="tab" aria-selected={view === 'trash'} title="Trash: deleted tasks" onClick={() => setView('trash')}>
          Trash
        </button>
        <button type="button" role="tab" aria-selected={view === 'code'} title="Code: linked GitHub repos" onClick={() => setView('code')}>
          Code
        </button>
        <button type="button" role="tab" aria-selected={view === 'deploys'} title="Deploys: the linked Vercel project" onClick={() => setView('deploys')}>
          Deploys
        </button>
      </div>
      {canEdit && confirmDelete && (
        <ConfirmDialog
          title="Delete project?"
          confirmLabel="Delete project"
          danger
          onConfirm={() => deleteProject(project.id)}
          onClose={() => setConfirmDelete(false)}
        >
          <p>
            “{project.name}” and its {project.taskCount} tasks will be removed from every replica. This cannot be undone — archive it instead if you may need it
            again.
          </p>
        </ConfirmDialog>
      )}
    </header>
  );
}
