import { useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Member } from '../../../src-main/contract';
import { Avatar } from '../../components/avatar';
import { LabelChip } from '../../components/label-chip';
import { EmptyState } from '../../components/empty-state';
import { useReveal } from '../../components/use-reveal';
import { formatDay, priorityLabels, todayDay } from '../../components/format';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';
import { PriorityIcon } from '../board/task-card';
import { usePublishTaskOrder } from '../shortcuts/task-navigation';
import { useProjectView } from './project-view-state';
import { TaskFilterBar } from './task-filter-bar';
import { filterTasks, sortTasks, type SortKey } from './task-filters';
import { useRevealOpenTask } from './reveal-open-task';
import { useTaskRevealer } from './reveal-task';
import { useProjectTasks } from './use-project-tasks';

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
  const { stages, tasks, windowCounts } = useProjectTasks(projectId);
  const members = useAppStore((s) => s.members);
  const openTask = useAppStore((s) => s.openTask);
  const canEdit = useAppStore(selectCanEdit);
  const [{ filter, sort }, setView] = useProjectView(projectId);

  const all = useMemo(() => Object.values(tasks).filter((t) => !t.deletedAt), [tasks]);
  const rows = useMemo(() => sortTasks(filterTasks(all, filter), sort, stages), [all, filter, sort, stages]);
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
  // The rows mount in the frame after the table (see useReveal).
  const rowsShown = useReveal();
  const items = rowsShown ? virtualizer.getVirtualItems() : [];
  // j/k and the arrows move over the rows as filtered and sorted (a row out of view is revealed above).
  usePublishTaskOrder(useMemo(() => [rows.map((t) => t.id)], [rows]));
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  const today = todayDay();
  const toggleSort = (key: SortKey) => setView({ sort: sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' } });

  return (
    <div className="list-view">
      <TaskFilterBar windowCounts={windowCounts} stages={stages} tasks={all} filter={filter} onChange={(next) => setView({ filter: next })} shown={rows.length} />
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
                    data-task-nav={task.id}
                    aria-rowindex={item.index + 2}
                    style={{ height: ROW_HEIGHT }}
                    onClick={() => openTask(task.id)}
                    onKeyDown={(e) => e.key === 'Enter' && openTask(task.id)}
                  >
                    <td className="col-key">{task.key}</td>
                    <td className="col-title">
                      <span className="row-title">{task.title}</span>
                      {task.labels.map((l) => (
                        <LabelChip key={l} label={l} />
                      ))}
                    </td>
                    <td className="col-stage">{stageNames.get(task.stageId)}</td>
                    <td className="col-priority">
                      <span className={`priority priority-${task.priority}`}>
                        <PriorityIcon priority={task.priority} />
                      </span>{' '}
                      {priorityLabels[task.priority]}
                    </td>
                    <td className="col-due">
                      {task.dueDate && (
                        <span className={task.dueDate < today ? 'due-overdue' : undefined} title={`Due ${task.dueDate}`}>
                          {formatDay(task.dueDate)}
                          {task.dueDate < today && <span className="overdue-note"> · overdue</span>}
                        </span>
                      )}
                    </td>
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
