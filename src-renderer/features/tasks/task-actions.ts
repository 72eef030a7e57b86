import type { Task } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { byOrder } from '../../store/board-slice';

/** What a person does to a task from several places (panel, keyboard, pickers), written once. */

/**
 * Moves a task to the Trash and says so with an Undo on the toast (⌘/Ctrl+Z too): every delete
 * of a task — the panel's menu, the Delete key — goes through here.
 */
export async function deleteTaskWithUndo(task: Pick<Task, 'id' | 'key'>): Promise<void> {
  const store = useAppStore.getState();
  await store.deleteTask(task.id);
  toastInfo(`${task.key} deleted`, {
    label: 'Undo',
    run: async () => {
      await useAppStore.getState().restoreTask(task.id);
      toastInfo(`${task.key} restored`);
    },
  });
}

/** To the end of another stage's column, like Linear (the status picker and the panel's stage select). */
export async function moveTaskToStage(task: Pick<Task, 'id' | 'projectId'>, stageId: string): Promise<void> {
  const store = useAppStore.getState();
  const last = Object.values(store.tasksByProject[task.projectId] ?? {})
    .filter((t) => t.stageId === stageId && !t.deletedAt && t.id !== task.id)
    .sort(byOrder)
    .at(-1);
  await store.moveTask(task.id, stageId, last?.id ?? null, null);
}

/**
 * "Copy branch name": the name the core makes from the task, the person's GitHub login (else
 * their name) and their pattern, onto the clipboard; where the clipboard is refused, the toast
 * shows the name to copy by hand.
 */
export async function copyBranchName(task: Pick<Task, 'id' | 'key'>): Promise<void> {
  const { branchName } = await api.github.branchName({ taskId: task.id });
  try {
    await navigator.clipboard.writeText(branchName);
    toastInfo(`Copied branch name ${branchName}`);
  } catch {
    toastInfo(`Branch name for ${task.key}: ${branchName}`);
  }
}
