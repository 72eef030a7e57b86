import { useMemo } from 'react';
import type { Task } from '../../../src-main/contract';
import { useAppStore } from '../../store/app-store';

const NO_TASKS: Record<string, Task> = {};

/** The labels already used in a project, sorted: offered wherever a task's labels are picked. */
export function useProjectLabels(projectId: string): string[] {
  const tasks = useAppStore((s) => s.tasksByProject[projectId] ?? NO_TASKS);
  return useMemo(() => [...new Set(Object.values(tasks).flatMap((t) => t.labels))].sort(), [tasks]);
}
