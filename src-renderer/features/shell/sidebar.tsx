import type { Project } from '../../../src-main/contract';
import { initials } from '../../components/avatar';
import { useAppStore } from '../../store/app-store';
import { selectFailingJobCount } from '../../store/jobs-slice';
import { selectCanEdit } from '../../store/sync-slice';
import { SyncIndicator } from '../sync/sync-indicator';
import { ViewOnlyBadge } from '../sync/view-only-badge';
import { WorkspaceSwitcher } from '../workspaces/workspace-switcher';

export function Sidebar() {
  const projects = useAppStore((s) => s.projects);
  const profile = useAppStore((s) => s.profile);
  const setProjectDialog = useAppStore((s) => s.setProjectDialog);
  const openSettings = useAppStore((s) => s.openSettings);
  const canEdit = useAppStore(selectCanEdit);
  const setShortcutsOpen = useAppStore((s) => s.setShortcutsOpen);
  const active = projects.filter((p) => !p.archivedAt);
  const archived = projects.filter((p) => p.archivedAt);

  return (
    <nav className="sidebar" aria-label="Sidebar">
      <WorkspaceSwitcher />
      {canEdit ? (
        <button type="button" className="button button-primary sidebar-new" onClick={() => setProjectDialog({ mode: 'create' })}>
          New project
        </button>
      ) : (
        <div className="sidebar-view-only">
          <ViewOnlyBadge />
        </div>
      )}
      <JobsLink />
      <div className="sidebar-section">
        <h2 className="sidebar-heading">Projects</h2>
        {active.length === 0 ? (
          <p className="sidebar-empty">No projects yet.</p>
        ) : (
          <ul className="project-links" aria-label="Projects">
            {active.map((p) => (
              <ProjectLink key={p.id} project={p} />
            ))}
          </ul>
        )}
      </div>
      {archived.length > 0 && (
        <details className="sidebar-section">
          <summary className="sidebar-heading">Archived ({archived.length})</summary>
          <ul className="project-links" aria-label="Archived projects">
            {archived.map((p) => (
              <ProjectLink key={p.id} project={p} />
            ))}
          </ul>
        </details>
      )}
      <div className="sidebar-footer">
        <SyncIndicator />
        <div className="sidebar-footer-row">
          <button type="button" className="profile-button" aria-label={`Settings: ${profile?.displayName ?? '…'}`} onClick={() => openSettings('profile')}>
            <span className="avatar" aria-hidden="true" data-initials={initials(profile?.displayName ?? '?')} />
            <span className="profile-name">{profile?.displayName ?? '…'}</span>
          </button>
          <button type="button" className="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setShortcutsOpen(true)}>
            ?
          </button>
        </div>
      </div>
    </nav>
  );
}

/** The Jobs page, with how many jobs failed their last run (after retries) on a badge. */
function JobsLink() {
  const current = useAppStore((s) => s.page === 'jobs');
  const failing = useAppStore(selectFailingJobCount);
  const openJobs = useAppStore((s) => s.openJobs);
  return (
    <button type="button" className="project-link jobs-link" aria-current={current ? 'page' : undefined} onClick={() => openJobs()}>
      <span className="jobs-link-icon" aria-hidden="true">
        ⟳
      </span>
      <span className="project-link-name">Jobs</span>
      {failing > 0 && (
        <span className="failure-badge" title={`${failing} failing`}>
          {failing}
          <span className="sr-only"> failing</span>
        </span>
      )}
    </button>
  );
}

function ProjectLink({ project }: { project: Project }) {
  const selected = useAppStore((s) => s.selectedProjectId === project.id);
  const selectProject = useAppStore((s) => s.selectProject);
  return (
    <li>
      <button
        type="button"
        className="project-link"
        aria-current={selected ? 'page' : undefined}
        onClick={() => selectProject(project.id)}
      >
        <span className="project-dot" style={{ background: project.color }} aria-hidden="true" />
        <span className="project-link-name">{project.name}</span>
        {project.favorite && (
          <span className="favorite-star" aria-label="Favorite" role="img">
            ★
          </span>
        )}
        <span className="project-link-count" aria-hidden="true">
          {project.taskCount}
        </span>
      </button>
    </li>
  );
}
