import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { priorities, type Member, type Stage, type Task } from '../../../src-main/contract';
import { Avatar } from '../../components/avatar';
import { EmptyState } from '../../components/empty-state';
import { formatDay, priorityLabels } from '../../components/format';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';
import { PriorityIcon } from '../board/task-card';
import { useRevealOpenTask, useTaskRevealer } from './reveal-task';
import { emptyFilter, filterTasks, sortTasks, type Sort, type SortKey, type TaskFilter } from './task-filters';

const EMPTY_STAGES: Stage[] = [];
const EMPTY_TASKS: Record<string, Task> = {};
const ROW_HEIGHT = 36;

const columns: { key: SortKey; label: string; className: string }[] = [
  { key: 'key', label: 'Key', className: 'col-key' },
  { key: 'title', label: 'Title', className: 'col-title' },
  { key: 'stage', label: 'Stage', className: 'col-stage' },
  { key: 'priority', label: 'Priority', className: 'col-priority' },
  { key: 'dueDate', label: 'Due date', className: 'col-due' },
  { key: 'estimate', label: 'Estimate', className: 'col-estimate' },
];

export function TaskListView({ projectId }: { projectId: string }) {
  const stages = useAppStore((s) => s.stagesByProject[projectId] ?? EMPTY_STAGES);
  const tasks = useAppStore((s) => s.tasksByProject[projectId] ?? EMPTY_TASKS);
  const members = useAppStore((s) => s.members);
  const openTask = useAppStore((s) => s.openTask);
  const canEdit = useAppStore(selectCanEdit);
  const [filter, setFilter] = useState<TaskFilter>(emptyFilter);
  const [sort, setSort] = useState<Sort>({ key: 'key', dir: 'asc' });

  const all = useMemo(() => Object.values(tasks).filter((t) => !t.deletedAt), [tasks]);
  const rows = useMemo(() => sortTasks(filterTasks(all, filter), sort, stages), [all, filter, sort, stages]);
  const labels = useMemo(() => [...new Set(all.flatMap((t) => t.labels))].sort(), [all]);
  const stageNames = useMemo(() => new Map(stages.map((s) => [s.id, s.name])), [stages]);
  const membersById = useMemo(() => new Map<string, Member>(members.map((m) => [m.id, m])), [members]);

  // Only the rows in view are in the DOM, so a project with thousands of tasks scrolls smoothly.
  const scrollRef = useRef<HTMLDivElement>(null);
  // The first render (before the table is laid out) assumes a window-tall table, so it mounts
  // with its first window of rows rather than the overscan alone.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 0, height: window.innerHeight },
  });
  useTaskRevealer((taskId) => {
    const index = rows.findIndex((t) => t.id === taskId);
    if (index < 0) return false;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    return true;
  });
  useRevealOpenTask();
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  const patch = (next: Partial<TaskFilter>) => setFilter((f) => ({ ...f, ...next }));
  const toggleSort = (key: SortKey) => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' }));
  const filtered = Object.entries(filter).some(([, v]) => v !== '');

  return (
    <div className="list-view">
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
        {filtered && (
          <button type="button" className="button button-ghost" onClick={() => setFilter(emptyFilter)}>
            Clear filters
          </button>
        )}
        <span className="filter-count" role="status">
          {rows.length} of {all.length} tasks
        </span>
      </div>
      {all.length === 0 ? (
        <EmptyState title="No tasks yet">{canEdit ? 'Press C or use “New task” to add the first one.' : 'Tasks show up here as soon as someone adds one.'}</EmptyState>
      ) : (
        <div className="table-scroll" ref={scrollRef}>
          <table className="task-table" aria-label="Tasks" aria-rowcount={rows.length + 1}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.key} className={c.className} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                    <button type="button" className="sort-button" onClick={() => toggleSort(c.key)}>
                      {c.label}
                      <span aria-hidden="true" className="sort-mark">
                        {sort.key === c.key ? (sort.dir === 'asc' ? '↑' : '↓') : ''}
                      </span>
                    </button>
                  </th>
                ))}
                <th className="col-assignees">Assignees</th>
              </tr>
            </thead>
            <tbody>
              {padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />}
              {items.map((item) => {
                const task = rows[item.index]!;
                return (
                  <tr
                    key={task.id}
                    data-task-id={task.id}
                    className="task-row"
                    tabIndex={0}
                    aria-rowindex={item.index + 2}
                    style={{ height: ROW_HEIGHT }}
                    onClick={() => openTask(task.id)}
                    onKeyDown={(e) => e.key === 'Enter' && openTask(task.id)}
                  >
                    <td className="col-key">{task.key}</td>
                    <td className="col-title">
                      <span className="row-title">{task.title}</span>
                      {task.labels.map((l) => (
                        <span key={l} className="label-chip">
                          {l}
                        </span>
                      ))}
                    </td>
                    <td className="col-stage">{stageNames.get(task.stageId)}</td>
                    <td className="col-priority">
                      <span className={`priority priority-${task.priority}`}>
                        <PriorityIcon priority={task.priority} />
                      </span>{' '}
                      {priorityLabels[task.priority]}
                    </td>
                    <td className="col-due">{task.dueDate ? formatDay(task.dueDate) : ''}</td>
                    <td className="col-estimate">{task.estimateHours !== null ? `${task.estimateHours}h` : ''}</td>
                    <td className="col-assignees">
                      <span className="avatars">
                        {task.assigneeIds.map((id) => {
                          const m = membersById.get(id);
                          return m ? <Avatar key={id} member={m} size={18} /> : null;
                        })}
                      </span>
                    </td>
                  </tr>
                );
              })}
              {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
            </tbody>
          </table>
          {rows.length === 0 && <p className="list-empty">No tasks match these filters.</p>}
        </div>
      )}
    </div>
  );
}
