import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/app-store';
import { findTask } from '../../store/board-slice';

/**
 * The tasks a branch, commit or pull request mentions, each a button that opens it. Keys and
 * titles come from the store; a task not read yet (far down a big project) still opens by id.
 */
export function TaskChips({ taskIds }: { taskIds: readonly string[] }) {
  // Shallow: a new array of the same tasks is no change (a fresh array each read would render forever).
  const tasks = useAppStore(useShallow((s) => taskIds.map((id) => findTask(s, id))));
  const openTask = useAppStore((s) => s.openTask);
  if (taskIds.length === 0) return null;
  return (
    <span className="task-chips">
      {taskIds.map((id, i) => {
        const task = tasks[i];
        return (
          <button
            key={id}
            type="button"
            className="task-chip"
            title={task ? task.title : undefined}
            aria-label={task ? `Open ${task.key} ${task.title}` : 'Open the task'}
            onClick={() => openTask(id)}
          >
            {task ? task.key : 'Task'}
          </button>
        );
      })}
    </span>
  );
}
