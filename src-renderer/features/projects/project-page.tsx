import { useEffect, useState } from 'react';
import { EmptyState } from '../../components/empty-state';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { BoardView } from '../board/board-view';
import { TaskListView } from '../tasks/task-list-view';
import { ProjectJobs } from '../jobs/project-jobs';
import { TrashView } from '../tasks/trash-view';
import { ProjectHeader } from './project-header';
import { ProjectOverview } from './project-overview';

export function ProjectPage({ projectId }: { projectId: string }) {
  const project = useAppStore((s) => s.projects.find((p) => p.id === projectId));
  const loaded = useAppStore((s) => Boolean(s.tasksByProject[projectId] && s.stagesByProject[projectId]));
  const view = useAppStore((s) => s.view);
  const loadProject = useAppStore((s) => s.loadProject);
  const [failed, setFailed] = useState(false);
  // A new project starts without the previous one's failure. Reset while rendering, not in the
  // effect: a setState in an effect renders twice (react.dev, "You might not need an effect").
  const [shownId, setShownId] = useState(projectId);
  if (shownId !== projectId) {
    setShownId(projectId);
    setFailed(false);
  }

  useEffect(() => {
    loadProject(projectId).catch((error) => {
      setFailed(true);
      toastError(error);
    });
  }, [projectId, loadProject]);

  if (!project) return <EmptyState title="Project not found">It may have been deleted on another device.</EmptyState>;
  return (
    <div className="project-page">
      <ProjectHeader project={project} />
      <ProjectOverview project={project} />
      <ProjectJobs projectId={projectId} />
      <div className="project-body">
        {!loaded ? (
          <p className="loading">{failed ? 'Could not load this project.' : 'Loading…'}</p>
        ) : view === 'board' ? (
          <BoardView projectId={projectId} />
        ) : view === 'trash' ? (
          <TrashView projectId={projectId} />
        ) : (
          <TaskListView projectId={projectId} />
        )}
      </div>
    </div>
  );
}
