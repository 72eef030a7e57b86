import { useEffect } from 'react';
import { useAppStore } from '../../store/app-store';
import { revealTask } from './reveal-task';

/**
 * The task opened in the detail panel is scrolled into the view's window: a task made with
 * "New task" lands at the end of a long column, and opening it should show where it is.
 */
export function useRevealOpenTask(): void {
  const openTaskId = useAppStore((s) => s.openTaskId);
  useEffect(() => {
    if (openTaskId) void revealTask(openTaskId);
  }, [openTaskId]);
}
