import type { Priority, Stage, Task } from '../../../src-main/contract';
import { priorityRank } from '../../components/format';

export interface TaskFilter {
  stageId: string;
  priority: Priority | '';
  assigneeId: string;
  label: string;
  text: string;
}

export const emptyFilter: TaskFilter = { stageId: '', priority: '', assigneeId: '', label: '', text: '' };

export const sortKeys = ['key', 'title', 'stage', 'priority', 'dueDate', 'estimate'] as const;
export type SortKey = (typeof sortKeys)[number];

/** Whether any filter is set (the views offer "Clear filters" then). */
export const isFiltered = (filter: TaskFilter) => Object.values(filter).some((v) => v !== '');
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export function filterTasks(tasks: Task[], filter: TaskFilter): Task[] {
  const text = filter.text.trim().toLowerCase();
  return tasks.filter(
    (t) =>
      !t.deletedAt &&
      (!filter.stageId || t.stageId === filter.stageId) &&
      (!filter.priority || t.priority === filter.priority) &&
      (!filter.assigneeId || t.assigneeIds.includes(filter.assigneeId)) &&
      (!filter.label || t.labels.includes(filter.label)) &&
      (!text || t.title.toLowerCase().includes(text) || t.key.toLowerCase().includes(text) || t.description.toLowerCase().includes(text)),
  );
}

/** Empty values (no due date, no estimate) sort last in both directions, as in Linear. */
export function sortTasks(tasks: Task[], sort: Sort, stages: Stage[]): Task[] {
  const stageIndex = new Map(stages.map((s, i) => [s.id, i]));
  const value = (t: Task): string | number | null => {
    switch (sort.key) {
      case 'key':
        return t.number;
      case 'title':
        return t.title.toLowerCase();
      case 'stage':
        return stageIndex.get(t.stageId) ?? 0;
      case 'priority':
        return priorityRank[t.priority];
      case 'dueDate':
        return t.dueDate;
      case 'estimate':
        return t.estimateHours;
    }
  };
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...tasks].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === vb) return a.number - b.number;
    if (va === null) return 1;
    if (vb === null) return -1;
    return (va < vb ? -1 : 1) * sign;
  });
}
