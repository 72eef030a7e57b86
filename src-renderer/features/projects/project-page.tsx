import { useDeferredValue, useEffect, useState } from 'react';
import { EmptyState } from '../../components/empty-state';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { BoardView } from '../board/board-view';
import { CodeView } from '../github/code-view';
import { DeploymentsView } from '../vercel/deployments-view';
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

  // The view mounts in a render React may split over several frames (a deferred value renders
  // as a transition), so opening a big project or switching views never freezes a frame; until
  // then the page keeps showing what it showed (Loading…, or the project's other view).
  const shown = useDeferredValue(loaded ? `${view}:${projectId}` : null);
  const shownView = shown?.endsWith(`:${projectId}`) ? (shown.slice(0, shown.indexOf(':')) as typeof view) : null;

  if (!project) return <EmptyState title="Project not found">It may have been deleted on another device.</EmptyState>;
  return (
    <div className="project-page">
      <ProjectHeader project={project} />
      <ProjectOverview project={project} />
      <ProjectJobs projectId={projectId} />
      <div className="project-body">
        {!loaded || !shownView ? (
          <p className="loading">{failed ? 'Could not load this project.' : 'Loading…'}</p>
        ) : shownView === 'board' ? (
          <BoardView projectId={projectId} />
        ) : shownView === 'trash' ? (
          <TrashView projectId={projectId} />
        ) : shownView === 'code' ? (
          <CodeView projectId={projectId} />
        ) : shownView === 'deploys' ? (
          <DeploymentsView projectId={projectId} />
        ) : (
          <TaskListView projectId={projectId} />
        )}
      </div>
    </div>
  );
}
