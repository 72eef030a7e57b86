/**
 * A project's filters and sorting, the same on Board and List, remembered per project in the
 * core's local preferences (`project-view:<projectId>`), so they survive switching views,
 * projects and restarts of the app on the same data dir.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import { priorities } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { emptyFilter, sortKeys, type Sort, type TaskFilter } from './task-filters';

export interface ProjectViewState {
  filter: TaskFilter;
  sort: Sort;
}

const defaults: ProjectViewState = { filter: emptyFilter, sort: { key: 'key', dir: 'asc' } };

interface ProjectViews {
  byProject: Record<string, ProjectViewState>;
  /** Projects whose stored state was asked for (once per window). */
  requested: Set<string>;
}

const useProjectViews = create<ProjectViews>()(() => ({ byProject: {}, requested: new Set() }));

/** What was stored, kept only where it still makes sense (a preference may be from an older version). */
function fromStored(value: unknown): ProjectViewState {
  const stored = (value ?? {}) as { filter?: Partial<Record<keyof TaskFilter, unknown>>; sort?: { key?: unknown; dir?: unknown } };
  const filter = { ...emptyFilter };
  for (const field of Object.keys(emptyFilter) as (keyof TaskFilter)[]) {
    const v = stored.filter?.[field];
    if (typeof v === 'string') (filter as Record<string, string>)[field] = v;
  }
  if (filter.priority && !priorities.includes(filter.priority)) filter.priority = '';
  const key = sortKeys.find((k) => k === stored.sort?.key) ?? defaults.sort.key;
  const dir = stored.sort?.dir === 'desc' ? 'desc' : 'asc';
  return { filter, sort: { key, dir } };
}

const saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
function save(projectId: string, state: ProjectViewState) {
  // Typing in the text filter changes it per keystroke: store it once typing pauses.
  clearTimeout(saveTimers.get(projectId));
  saveTimers.set(
    projectId,
    setTimeout(() => void api.preferences.set({ key: `project-view:${projectId}`, value: { filter: { ...state.filter }, sort: { ...state.sort } } }).catch(() => undefined), 300),
  );
}

/** The project's filters and sorting, and a setter that remembers them. */
export function useProjectView(projectId: string): [ProjectViewState, (patch: Partial<ProjectViewState>) => void] {
  const state = useProjectViews((s) => s.byProject[projectId]) ?? defaults;
  useEffect(() => {
    const { requested } = useProjectViews.getState();
    if (requested.has(projectId)) return;
    requested.add(projectId);
    api.preferences
      .get({ key: `project-view:${projectId}` })
      .then((stored) => {
        // A change made while the stored state was on its way wins over it.
        if (stored === null || useProjectViews.getState().byProject[projectId]) return;
        useProjectViews.setState((s) => ({ byProject: { ...s.byProject, [projectId]: fromStored(stored) } }));
      })
      .catch(() => requested.delete(projectId));
  }, [projectId]);
  const update = (patch: Partial<ProjectViewState>) => {
    const next = { ...(useProjectViews.getState().byProject[projectId] ?? defaults), ...patch };
    useProjectViews.setState((s) => ({ byProject: { ...s.byProject, [projectId]: next } }));
    save(projectId, next);
  };
  return [state, update];
}
