import { useDeferredValue } from 'react';
import type { Stage, Task } from '../../../src-main/contract';
import { useAppStore } from '../../store/app-store';

const EMPTY_STAGES: Stage[] = [];
const EMPTY_TASKS: Record<string, Task> = {};

export interface ProjectTasks {
  stages: Stage[];
  /** Keyed by id; deleted ones included (with deletedAt). */
  tasks: Record<string, Task>;
  /** Set while only each stage's first window is loaded: the stages' full counts (see windowCountsByProject). */
  windowCounts: Record<string, number> | undefined;
}

/**
 * A project's stages and tasks as the Board and the List render them. The whole project arriving
 * after its first window (10,000 tasks replacing 250) renders in the background: a deferred value
 * renders as a transition, which React splits over frames, so the window stays on screen and
 * interactive meanwhile. Everything else (a person's edit, a teammate's change) renders at once.
 */
export function useProjectTasks(projectId: string): ProjectTasks {
  const stages = useAppStore((s) => s.stagesByProject[projectId] ?? EMPTY_STAGES);
  const tasks = useAppStore((s) => s.tasksByProject[projectId] ?? EMPTY_TASKS);
  const windowCounts = useAppStore((s) => s.windowCountsByProject[projectId]);
  const deferredTasks = useDeferredValue(tasks);
  const deferredCounts = useDeferredValue(windowCounts);
  // The window's counts gone but still deferred: the whole list has just arrived and is not
  // rendered yet. Keep showing the window (with its counts) until the background render is done.
  if (deferredCounts && !windowCounts) return { stages, tasks: deferredTasks, windowCounts: deferredCounts };
  return { stages, tasks, windowCounts };
}
