import { useEffect } from 'react';
import { runNewestToastAction, toastError } from '../../components/toasts';
import { useAppStore, type AppState } from '../../store/app-store';
import { findTask } from '../../store/board-slice';
import { selectCanEdit } from '../../store/sync-slice';
import { deleteTaskWithUndo } from '../tasks/task-actions';
import { useQuickEdit, type QuickEditField } from '../tasks/task-quick-edit';
import { isMacPlatform, priorityByDigit, shortcutsFor, type ShortcutId } from './shortcut-list';
import { focusTask, focusedTaskId, neighbour, publishedOrder, type Direction } from './task-navigation';

/** Typing in a field must never trigger single-key shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** A modal is up (native dialog or the palette): it owns the keyboard. */
function modalOpen(): boolean {
  return Boolean(document.querySelector('dialog[open], [cmdk-dialog]'));
}

/** What an action sees: the store, and the task it acts on (the focused card or row, else the open task). */
interface ActionContext {
  store: AppState;
  taskId: string | null;
  key: string;
}

/** Each action returns whether it applied (then the key is consumed); one that does not lets the key fall through. */
type Action = (ctx: ActionContext) => boolean;

const inProject = (store: AppState) => store.selectedProjectId !== null;

function move(direction: Direction): Action {
  return ({ store, taskId, key }) => {
    const order = publishedOrder();
    if (!order || !inProject(store)) return false;
    // In the open task's panel the arrows scroll it; j and k still go to the next task.
    if (key.startsWith('Arrow') && focusedTaskId() === null && store.openTaskId) return false;
    const target = neighbour(order.columns, taskId, direction);
    if (!target) return taskId !== null; // at the end: stay, but keep the key from scrolling the page
    focusTask(target);
    // With a task open, moving shows the next one in the panel (and it takes the focus).
    if (store.openTaskId) store.openTask(target);
    return true;
  };
}

/** A task the person may change: a live one (a deleted one waits for Restore), in a workspace they can edit. */
const editable = (store: AppState, taskId: string | null): taskId is string => {
  const task = findTask(store, taskId);
  return Boolean(task && !task.deletedAt && selectCanEdit(store));
};

const editTask =
  (field: QuickEditField): Action =>
  ({ store, taskId }) => {
    if (!editable(store, taskId)) return false;
    useQuickEdit.getState().open(taskId, field);
    return true;
  };

const actions: Record<ShortcutId, Action | null> = {
  palette: ({ store }) => (store.setPaletteOpen(!store.paletteOpen), true),
  shortcuts: ({ store }) => (store.setShortcutsOpen(true), true),
  undo: () => runNewestToastAction(),
  settings: ({ store }) => (store.openSettings('profile'), true),
  teamSync: ({ store }) => (store.openSettings('team-sync'), true),
  newProject: ({ store }) => selectCanEdit(store) && (store.setProjectDialog({ mode: 'create' }), true),
  newTask: ({ store }) => inProject(store) && selectCanEdit(store) && (store.setNewTaskOpen(true), true),
  showBoard: ({ store }) => inProject(store) && (store.setView('board'), true),
  showList: ({ store }) => inProject(store) && (store.setView('list'), true),
  showTrash: ({ store }) => inProject(store) && (store.setView('trash'), true),
  next: move('next'),
  previous: move('previous'),
  columnLeft: move('left'),
  columnRight: move('right'),
  close: ({ store }) => {
    const open = store.openTaskId;
    if (!open) return false;
    store.openTask(null);
    focusTask(open); // back to where the person was on the board or list
    return true;
  },
  setStatus: editTask('status'),
  setPriority: editTask('priority'),
  priorityByNumber: ({ store, taskId, key }) => {
    if (!editable(store, taskId)) return false;
    store.updateTask(taskId, { priority: priorityByDigit[key as keyof typeof priorityByDigit] }).catch(toastError);
    return true;
  },
  assign: editTask('assignees'),
  setLabels: editTask('labels'),
  setDueDate: editTask('dueDate'),
  deleteTask: ({ store, taskId }) => {
    const task = findTask(store, taskId);
    if (!task || !editable(store, taskId)) return false;
    // Focus goes on to the next task (or the one before), as the deleted card leaves.
    const order = publishedOrder();
    const after = order && focusedTaskId() === task.id ? (neighbour(order.columns, task.id, 'next') ?? neighbour(order.columns, task.id, 'previous')) : null;
    deleteTaskWithUndo(task)
      .then(() => after && focusTask(after))
      .catch(toastError);
    return true;
  },
  // Handled where they happen: the focused card or row (Enter), dnd-kit (Space, arrows while dragging).
  open: null,
  dragPickUp: null,
  dragMove: null,
};

/** Runs a shortcut's action as its keys would (the command palette's actions); false if it did not apply. */
export function runShortcut(id: ShortcutId): boolean {
  const store = useAppStore.getState();
  return actions[id]?.({ store, taskId: focusedTaskId() ?? store.openTaskId, key: '' }) ?? false;
}

export function useGlobalShortcuts(): void {
  useEffect(() => {
    const isMac = isMacPlatform();
    const onKeyDown = (event: KeyboardEvent) => {
      const matches = shortcutsFor(event, isMac);
      if (matches.length === 0 || event.defaultPrevented) return;
      // The palette toggles from anywhere; everything else waits while a field, a modal or a
      // keyboard drag on the board (whose keys are its own) has the keyboard.
      const dragging = () => document.querySelector('[aria-pressed="true"][aria-roledescription="sortable"]') !== null;
      if (matches[0]!.id !== 'palette' && (isTyping(event.target) || modalOpen() || dragging())) return;
      const store = useAppStore.getState();
      const ctx: ActionContext = { store, taskId: focusedTaskId() ?? store.openTaskId, key: event.key };
      for (const shortcut of matches) {
        if (shortcut.onTask && !ctx.taskId) continue;
        if (actions[shortcut.id]?.(ctx)) {
          event.preventDefault();
          return;
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
