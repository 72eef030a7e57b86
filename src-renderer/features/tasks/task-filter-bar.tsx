import { useMemo } from 'react';
import { priorities, type Stage, type Task } from '../../../src-main/contract';
import { priorityLabels } from '../../components/format';
import { useAppStore } from '../../store/app-store';
import { emptyFilter, isFiltered, type TaskFilter } from './task-filters';

interface TaskFilterBarProps {
  /** Set while only each stage's first window is loaded: the stages' full counts. */
  windowCounts: Record<string, number> | undefined;
  stages: Stage[];
  /** The project's live tasks (their labels are the label choices). */
  tasks: Task[];
  filter: TaskFilter;
  onChange(filter: TaskFilter): void;
  /** How many tasks the filter lets through. */
  shown: number;
}

/** The filters above the Board and the List: one bar, so both offer the same. */
export function TaskFilterBar({ windowCounts, stages, tasks, filter, onChange, shown }: TaskFilterBarProps) {
  const members = useAppStore((s) => s.members);
  // A big project shows each stage's first tasks while the rest is read: say how many are coming.
  const loadingTotal = windowCounts ? Object.values(windowCounts).reduce((sum, n) => sum + n, 0) : null;
  const labels = useMemo(() => [...new Set(tasks.flatMap((t) => t.labels))].sort(), [tasks]);
  const patch = (next: Partial<TaskFilter>) => onChange({ ...filter, ...next });
  return (
    <div className="filters" role="search" aria-label="Filter tasks">
      <input className="filter-text" type="search" aria-label="Filter by text" placeholder="Filter by title, key or description…" value={filter.text} onChange={(e) => patch({ text: e.target.value })} />
      <select aria-label="Filter by stage" value={filter.stageId} onChange={(e) => patch({ stageId: e.target.value })}>
        <option value="">All stages</option>
        {stages.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <select aria-label="Filter by priority" value={filter.priority} onChange={(e) => patch({ priority: e.target.value as TaskFilter['priority'] })}>
        <option value="">All priorities</option>
        {priorities.map((p) => (
          <option key={p} value={p}>
            {priorityLabels[p]}
          </option>
        ))}
      </select>
      <select aria-label="Filter by assignee" value={filter.assigneeId} onChange={(e) => patch({ assigneeId: e.target.value })}>
        <option value="">All assignees</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
      <select aria-label="Filter by label" value={filter.label} onChange={(e) => patch({ label: e.target.value })}>
        <option value="">All labels</option>
        {labels.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      {isFiltered(filter) && (
        <button type="button" className="button button-ghost" onClick={() => onChange(emptyFilter)}>
          Clear filters
        </button>
      )}
      <span className="filter-count" role="status">
        {loadingTotal === null ? `${shown} of ${tasks.length} tasks` : `Loading ${loadingTotal.toLocaleString()} tasks…`}
      </span>
    </div>
  );
}
