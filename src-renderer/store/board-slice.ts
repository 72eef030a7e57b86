import type { StateCreator } from 'zustand';
import { generateKeyBetween } from 'fractional-indexing';
import type { InputOf, Stage, Task } from '../../src-main/contract';
import { api } from '../api/connection';
import type { AppState } from './app-store';

export type TaskPatch = Omit<InputOf<'tasks', 'update'>, 'id'>;
export type TaskCreateInput = InputOf<'tasks', 'create'>;

export interface BoardSlice {
  /** Stages per project, in board order. */
  stagesByProject: Record<string, Stage[]>;
  /** Tasks per project keyed by id; deleted ones stay (with deletedAt) so an open panel can restore them. */
  tasksByProject: Record<string, Record<string, Task>>;
  /**
   * Projects of which only each stage's first window is loaded yet (the rest is on its way):
   * their stages' task counts, which the columns show meanwhile.
   */
  windowCountsByProject: Record<string, Record<string, number>>;
  /** A project's stages and tasks: first each stage's first window, then (when there is more) all of it. */
  loadProject(projectId: string): Promise<void>;
  loadStages(projectId: string): Promise<void>;
  /** Re-read only the named tasks (after a change event) and merge them. */
  refreshTasks(ids: string[]): Promise<void>;
  mergeTasks(tasks: Task[]): void;
  forgetProject(projectId: string): void;
  createTask(input: TaskCreateInput): Promise<Task>;
  updateTask(id: string, patch: TaskPatch): Promise<Task>;
  moveTask(id: string, stageId: string, afterId: string | null, beforeId: string | null): Promise<void>;
  deleteTask(id: string): Promise<void>;
  restoreTask(id: string): Promise<void>;
  /** Reads the project's deleted tasks too (the Trash shows them from the store). */
  loadTrash(projectId: string): Promise<void>;
  /** Deletes a task in the trash for good. */
  purgeTask(id: string): Promise<void>;
  createStage(projectId: string, name: string): Promise<void>;
  renameStage(stage: Stage, name: string): Promise<void>;
  removeStage(stage: Stage, moveTasksTo: string): Promise<void>;
  /** One place left (-1) or right (+1) on the board. */
  moveStage(stage: Stage, direction: -1 | 1): Promise<void>;
}

/**
 * Tasks per stage read first when a project opens: more than the tallest column shows, so the
 * first screen is complete while the whole project is read.
 */
const FIRST_WINDOW = 50;
/**
 * Tasks per reply while the rest of a big project is read: about a megabyte of JSON, which the
 * page receives and parses well within a frame (10,000 tasks in one reply took 40–60 ms).
 */
const PAGE = 2000;

/** The next task: a reply is parsed in one and rendered in the next, so no frame does both. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** When the page has nothing left to do (at most half a second from now). */
const idle = () =>
  new Promise<void>((resolve) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 500 }) : setTimeout(resolve, 50)));

const byId = (tasks: Task[]) => Object.fromEntries(tasks.map((t) => [t.id, t]));

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const next = { ...record };
  delete next[key];
  return next;
}

export function findTask(state: AppState, id: string | null): Task | undefined {
  if (!id) return undefined;
  for (const tasks of Object.values(state.tasksByProject)) if (tasks[id]) return tasks[id];
  return undefined;
}

/** Order keys are fractional-index strings: compare by code unit, never with localeCompare. */
export const byOrder = (a: { order: string }, b: { order: string }) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0);

/**
 * The tasks that changed (an edit's reply, a change event: the task, or null when deleted for
 * good) while a project is being read: the read may have started before them, so they win.
 */
type Changed = Map<string, Task | null>;
const changedWhileReading = new Map<string, Set<Changed>>();
function trackChanges(projectId: string): { changed: Changed; stop(): void } {
  const changed: Changed = new Map();
  const trackers = changedWhileReading.get(projectId) ?? new Set();
  changedWhileReading.set(projectId, trackers.add(changed));
  return {
    changed,
    stop() {
      trackers.delete(changed);
      if (trackers.size === 0) changedWhileReading.delete(projectId);
    },
  };
}
const noteChange = (projectId: string, id: string, task: Task | null) => changedWhileReading.get(projectId)?.forEach((changed) => changed.set(id, task));

/** What a read of a project found, with what changed since it started applied over it. */
function readOver(read: Task[], changed: Changed): Record<string, Task> {
  const next = byId(read);
  for (const [id, task] of changed) {
    if (task) next[id] = task;
    else delete next[id];
  }
  return next;
}

export const createBoardSlice: StateCreator<AppState, [], [], BoardSlice> = (set, get) => {
  const putTask = (task: Task) => {
    noteChange(task.projectId, task.id, task);
    set((state) => ({
      tasksByProject: {
        ...state.tasksByProject,
        [task.projectId]: { ...state.tasksByProject[task.projectId], [task.id]: task },
      },
    }));
  };

  const dropTasks = (ids: Set<string>) =>
    set((state) => {
      const next = { ...state.tasksByProject };
      for (const [projectId, tasks] of Object.entries(next)) {
        if (!Object.keys(tasks).some((id) => ids.has(id))) continue;
        ids.forEach((id) => noteChange(projectId, id, null));
        next[projectId] = Object.fromEntries(Object.entries(tasks).filter(([id]) => !ids.has(id)));
      }
      return { tasksByProject: next, openTaskId: state.openTaskId && ids.has(state.openTaskId) ? null : state.openTaskId };
    });

  return {
    stagesByProject: {},
    tasksByProject: {},
    windowCountsByProject: {},

    async loadProject(projectId) {
      const reading = trackChanges(projectId);
      try {
        // A project on screen already (a reconnect re-reads it) is not cut back to its first window.
        const shown = Boolean(get().tasksByProject[projectId]);
        const [stages, first] = await Promise.all([api.stages.list({ projectId }), api.tasks.firstWindow({ projectId, perStage: FIRST_WINDOW })]);
        const counts = Object.entries(first.stageCounts);
        const complete = first.tasks.length === counts.reduce((sum, [, n]) => sum + n, 0);
        set((state) => ({
          stagesByProject: { ...state.stagesByProject, [projectId]: stages },
          ...((!shown || complete) && {
            tasksByProject: { ...state.tasksByProject, [projectId]: readOver(first.tasks, reading.changed) },
            windowCountsByProject: complete ? without(state.windowCountsByProject, projectId) : { ...state.windowCountsByProject, [projectId]: first.stageCounts },
          }),
        }));
        if (complete) return;
        // Once the window is on screen: on a machine of two cores the core's reads would otherwise
        // take the CPU from mounting it.
        await idle();
        // The rest, stage by stage in pages (the counts name every stage that has tasks, also one
        // this replica does not know yet), each reply small enough to parse within a frame.
        const tasks: Task[] = [];
        for (const [stageId, count] of counts) {
          let read = 0;
          for (let after: { order: string; id: string } | undefined; read < count; ) {
            const page = await api.tasks.list({ projectId, stageId, after, limit: PAGE });
            tasks.push(...page);
            read += page.length;
            if (page.length < PAGE) break;
            after = { order: page.at(-1)!.order, id: page.at(-1)!.id };
          }
        }
        // The last reply was parsed in the task that received it; the store changes in the next.
        await nextTask();
        set((state) => ({
          tasksByProject: { ...state.tasksByProject, [projectId]: readOver(tasks, reading.changed) },
          windowCountsByProject: without(state.windowCountsByProject, projectId),
        }));
      } finally {
        reading.stop();
      }
    },
    async loadStages(projectId) {
      const stages = await api.stages.list({ projectId });
      set((state) => ({ stagesByProject: { ...state.stagesByProject, [projectId]: stages } }));
    },
    async refreshTasks(ids) {
      if (ids.length === 0) return;
      // getMany caps at 1000 ids per call.
      for (let i = 0; i < ids.length; i += 1000) {
        const chunk = ids.slice(i, i + 1000);
        const found = await api.tasks.getMany({ ids: chunk });
        get().mergeTasks(found);
        // An id that no longer exists was deleted for good (here or by a teammate): drop it.
        const gone = new Set(chunk);
        for (const task of found) gone.delete(task.id);
        if (gone.size > 0) dropTasks(gone);
      }
    },
    mergeTasks(tasks) {
      for (const task of tasks) noteChange(task.projectId, task.id, task);
      set((state) => {
        const next = { ...state.tasksByProject };
        for (const task of tasks) {
          // Only projects we have loaded are kept current; others are read fresh when opened.
          if (!next[task.projectId]) continue;
          next[task.projectId] = { ...next[task.projectId], [task.id]: task };
        }
        return { tasksByProject: next };
      });
    },
    forgetProject(projectId) {
      set((state) => {
        const stagesByProject = { ...state.stagesByProject };
        const tasksByProject = { ...state.tasksByProject };
        delete stagesByProject[projectId];
        delete tasksByProject[projectId];
        return { stagesByProject, tasksByProject, windowCountsByProject: without(state.windowCountsByProject, projectId) };
      });
    },
    async createTask(input) {
      const task = await api.tasks.create(input);
      putTask(task);
      return task;
    },
    async updateTask(id, patch) {
      const before = findTask(get(), id);
      // Shown at once as the person made it; the reply brings the text merged with teammates'.
      const { description, ...rest } = patch;
      const shown = description === undefined ? {} : { description: typeof description === 'string' ? description : description.value };
      if (before) putTask({ ...before, ...(rest as Partial<Task>), ...shown });
      try {
        const task = await api.tasks.update({ id, ...patch });
        putTask(task);
        return task;
      } catch (error) {
        if (before) putTask(before);
        throw error;
      }
    },
    async moveTask(id, stageId, afterId, beforeId) {
      const before = findTask(get(), id);
      if (!before) return;
      const tasks = get().tasksByProject[before.projectId] ?? {};
      // Guess the key the core will pick so the card lands in place at once; the reply corrects it.
      let order = before.order;
      try {
        order = generateKeyBetween(afterId ? (tasks[afterId]?.order ?? null) : null, beforeId ? (tasks[beforeId]?.order ?? null) : null);
      } catch {
        // Neighbour keys out of order (a concurrent change): keep the old key until the reply.
      }
      putTask({ ...before, stageId, order });
      try {
        putTask(await api.tasks.move({ id, stageId, afterId, beforeId }));
      } catch (error) {
        putTask(before);
        throw error;
      }
    },
    async deleteTask(id) {
      putTask(await api.tasks.delete({ id }));
    },
    async restoreTask(id) {
      putTask(await api.tasks.restore({ id }));
    },
    async loadTrash(projectId) {
      const all = await api.tasks.list({ projectId, includeDeleted: true });
      get().mergeTasks(all.filter((t) => t.deletedAt));
    },
    async purgeTask(id) {
      await api.tasks.purge({ id });
      dropTasks(new Set([id]));
    },
    async createStage(projectId, name) {
      // No place given: the core puts it before the done stage.
      await api.stages.create({ projectId, name });
      await get().loadStages(projectId);
    },
    async renameStage(stage, name) {
      const renamed = await api.stages.rename({ id: stage.id, name });
      set((state) => ({
        stagesByProject: {
          ...state.stagesByProject,
          [stage.projectId]: (state.stagesByProject[stage.projectId] ?? []).map((s) => (s.id === stage.id ? renamed : s)),
        },
      }));
    },
    async moveStage(stage, direction) {
      const stages = get().stagesByProject[stage.projectId] ?? [];
      const others = stages.filter((s) => s.id !== stage.id);
      const index = stages.findIndex((s) => s.id === stage.id) + direction;
      if (index < 0 || index >= stages.length) return;
      // Among the other stages, the new place is between others[index - 1] and others[index].
      await api.stages.move({ id: stage.id, afterId: others[index - 1]?.id ?? null, beforeId: others[index]?.id ?? null });
      await get().loadStages(stage.projectId);
    },
    async removeStage(stage, moveTasksTo) {
      const { movedTaskIds } = await api.stages.remove({ id: stage.id, moveTasksTo });
      await Promise.all([get().loadStages(stage.projectId), get().refreshTasks(movedTaskIds)]);
    },
  };
};
