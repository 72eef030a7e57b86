import { memo, useState, type FormEvent } from 'react';
import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import type { Member, Stage, Task } from '../../../src-main/contract';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { StageMenu } from './stage-menu';
import { TaskCard } from './task-card';

/** Columns are droppables too (so an empty column accepts cards); their ids must not look like task ids. */
export const columnId = (stageId: string) => `column:${stageId}`;
export const stageIdOfColumn = (id: string) => (id.startsWith('column:') ? id.slice('column:'.length) : null);

interface BoardColumnProps {
  stage: Stage;
  stages: Stage[];
  taskIds: string[];
  tasks: Record<string, Task>;
  membersById: Map<string, Member>;
  onOpen(id: string): void;
  /** False for a viewer: no stage menu, no quick add. */
  canEdit: boolean;
}

export const BoardColumn = memo(function BoardColumn({ stage, stages, taskIds, tasks, membersById, onOpen, canEdit }: BoardColumnProps) {
  const { setNodeRef, isOver } = useDroppable({ id: columnId(stage.id), data: { type: 'column' } });
  const [renaming, setRenaming] = useState(false);

  return (
    <section role="region" aria-label={stage.name} className={isOver ? 'column column-over' : 'column'} ref={setNodeRef}>
      <header className="column-header">
        {renaming ? (
          <RenameStage stage={stage} onDone={() => setRenaming(false)} />
        ) : (
          <>
            <h2 className="column-title">
              {stage.isDone && (
                <span className="done-mark" aria-hidden="true">
                  ✓
                </span>
              )}
              {stage.name}
            </h2>
            <span className="column-count" aria-label={`${taskIds.length} tasks`}>
              {taskIds.length}
            </span>
            {canEdit && <StageMenu stage={stage} stages={stages} onRename={() => setRenaming(true)} />}
          </>
        )}
      </header>
      <SortableContext id={stage.id} items={taskIds} strategy={verticalListSortingStrategy}>
        <ul className="column-cards" aria-label={`${stage.name} tasks`}>
          {taskIds.map((id) => {
            const task = tasks[id];
            return task ? <TaskCard key={id} task={task} membersById={membersById} onOpen={onOpen} /> : null;
          })}
        </ul>
      </SortableContext>
      {taskIds.length === 0 && <p className="column-empty">{canEdit ? 'No tasks here. Drag one in or add one below.' : 'No tasks here.'}</p>}
      {canEdit && <AddTask stage={stage} />}
    </section>
  );
});

function RenameStage({ stage, onDone }: { stage: Stage; onDone(): void }) {
  const renameStage = useAppStore((s) => s.renameStage);
  const [name, setName] = useState(stage.name);
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (name.trim() && name.trim() !== stage.name) renameStage(stage, name).catch(toastError);
    onDone();
  };
  return (
    <form onSubmit={submit} className="column-rename">
      <input
        autoFocus
        aria-label={`Rename stage ${stage.name}`}
        maxLength={60}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => submit()}
        onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onDone())}
      />
    </form>
  );
}

/** Quick add at the bottom of a column: Enter creates and keeps the input open for the next one. */
function AddTask({ stage }: { stage: Stage }) {
  const createTask = useAppStore((s) => s.createTask);
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');

  if (!open) {
    return (
      <button type="button" className="add-task" aria-label={`Add task to ${stage.name}`} onClick={() => setOpen(true)}>
        + Add task
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = title.trim();
    if (!text) return;
    setTitle('');
    try {
      await createTask({ projectId: stage.projectId, stageId: stage.id, title: text });
    } catch (error) {
      setTitle(text);
      toastError(error);
    }
  };
  return (
    <form className="add-task-form" onSubmit={submit}>
      <input
        autoFocus
        aria-label={`New task title in ${stage.name}`}
        maxLength={500}
        placeholder="Task title, then Enter"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            setOpen(false);
          }
        }}
        onBlur={() => !title.trim() && setOpen(false)}
      />
    </form>
  );
}
