import { memo, useCallback } from 'react';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { Member, Task } from '../../../src-main/contract';
import { Avatar } from '../../components/avatar';
import { LabelChip } from '../../components/label-chip';
import { formatDay, priorityLabels, todayDay } from '../../components/format';

interface TaskCardProps {
  task: Task;
  membersById: Map<string, Member>;
  onOpen(id: string): void;
  /** Its place in the column, and the virtualiser's measuring ref (cards differ in height). */
  index: number;
  measureRef(element: Element | null): void;
}

/**
 * A card on the board. The <li> keeps its list-item role (screen readers count the cards); the
 * inner element is the drag handle dnd-kit makes focusable: Space picks it up, Enter opens it.
 * Its accessible name is its content (key, title, priority, labels, dates), not an aria-label:
 * a name that leaves out text a person sees fails WCAG 2.5.3 (label in name), and voice control
 * users say what they see.
 */
export const TaskCard = memo(function TaskCard({ task, membersById, onOpen, index, measureRef }: TaskCardProps) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: task.id,
    data: { type: 'task', stageId: task.stageId },
  });
  const ref = useCallback(
    (element: HTMLLIElement | null) => {
      setNodeRef(element);
      measureRef(element);
    },
    [setNodeRef, measureRef],
  );
  return (
    <li
      ref={ref}
      data-index={index}
      className={isDragging ? 'task-card-slot dragging' : 'task-card-slot'}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      data-task-id={task.id}
    >
      <div
        {...attributes}
        {...listeners}
        className="task-card"
        data-task-nav={task.id}
        onClick={() => onOpen(task.id)}
        onKeyDown={(event) => {
          listeners?.onKeyDown?.(event);
          // Enter also drops a keyboard drag: only open when this card is not the one moving.
          if (event.key === 'Enter' && !isDragging && !event.defaultPrevented) onOpen(task.id);
        }}
      >
        <TaskCardBody task={task} membersById={membersById} />
      </div>
    </li>
  );
});

/**
 * What a card shows. Memoised: dnd-kit re-renders every sortable card when cards register or a
 * drag moves, and only the card's wrapper needs that.
 */
export const TaskCardBody = memo(function TaskCardBody({ task, membersById }: { task: Task; membersById: Map<string, Member> }) {
  const overdue = task.dueDate !== null && task.dueDate < todayDay();
  return (
    <>
      <div className="task-card-top">
        <span className="task-key">{task.key}</span>
        <span className={`priority priority-${task.priority}`} title={`Priority: ${priorityLabels[task.priority]}`}>
          <PriorityIcon priority={task.priority} />
        </span>
      </div>
      <div className="task-title">{task.title}</div>
      <span className="sr-only">Priority {priorityLabels[task.priority]}</span>
      {cardHasMeta(task) && (
        <div className="task-card-meta">
          {task.deploy && <DeployChip deploy={task.deploy} />}
          {task.labels.map((label) => (
            <LabelChip key={label} label={label} />
          ))}
          {task.dueDate && (
            <span className={overdue ? 'due due-overdue' : 'due'} title={`Due ${task.dueDate}`}>
              {formatDay(task.dueDate)}
            </span>
          )}
          {task.estimateHours !== null && <span className="estimate">{task.estimateHours}h</span>}
          <span className="avatars">
            {task.assigneeIds.map((id) => {
              const member = membersById.get(id);
              return member ? <Avatar key={id} member={member} size={18} /> : null;
            })}
          </span>
        </div>
      )}
    </>
  );
});

/** Whether a card shows its meta row (the column's height estimate asks the same). */
export const cardHasMeta = (task: Task) =>
  task.labels.length > 0 || Boolean(task.dueDate) || task.assigneeIds.length > 0 || task.estimateHours !== null || Boolean(task.deploy);

const deployWords: Record<NonNullable<Task['deploy']>['state'], string> = { deployed: 'Deployed', rolled_back: 'Rolled back', failed: 'Deploy failed' };

/** "Deployed" (production), "Rolled back" or "Deploy failed", from the task's merged PR and Vercel. */
function DeployChip({ deploy }: { deploy: NonNullable<Task['deploy']> }) {
  return (
    <span className={`state-chip tone-${deploy.state === 'deployed' ? 'good' : 'bad'}`} title={`${deployWords[deploy.state]}: ${deploy.environment}, ${deploy.deploymentId} (${deploy.pull})`}>
      {deployWords[deploy.state]}
    </span>
  );
}

/** Linear-style bars: more filled bars = more pressing; urgent gets its own mark. */
export function PriorityIcon({ priority }: { priority: Task['priority'] }) {
  if (priority === 'urgent') {
    return (
      <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
        <rect x="1" y="1" width="12" height="12" rx="3" fill="currentColor" />
        <rect x="6.2" y="3.5" width="1.6" height="4.5" rx="0.8" fill="var(--bg)" />
        <rect x="6.2" y="9" width="1.6" height="1.6" rx="0.8" fill="var(--bg)" />
      </svg>
    );
  }
  const filled = { low: 1, normal: 2, high: 3 }[priority];
  return (
    <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
      {[0, 1, 2].map((i) => (
        <rect key={i} x={1.5 + i * 4} y={9 - i * 3} width="3" height={4 + i * 3} rx="1" fill="currentColor" opacity={i < filled ? 1 : 0.25} />
      ))}
    </svg>
  );
}
