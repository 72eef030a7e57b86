import { memo, useCallback, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useDndContext, useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import type { Member, Stage, Task } from '../../../src-main/contract';
import { toastError } from '../../components/toasts';
import { useReveal } from '../../components/use-reveal';
import { useAppStore } from '../../store/app-store';
import { useTaskRevealer } from '../tasks/reveal-task';
import { StageMenu } from './stage-menu';
import { cardHasMeta, TaskCard } from './task-card';

/** Columns are droppables too (so an empty column accepts cards); their ids must not look like task ids. */
export const columnId = (stageId: string) => `column:${stageId}`;
export const stageIdOfColumn = (id: string) => (id.startsWith('column:') ? id.slice('column:'.length) : null);

interface BoardColumnProps {
  stage: Stage;
  stages: Stage[];
  taskIds: string[];
  /** The column's task count when not all of its tasks are loaded yet (see windowCountsByProject). */
  loadingCount?: number;
  tasks: Record<string, Task>;
  membersById: Map<string, Member>;
  onOpen(id: string): void;
  /** False for a viewer: no stage menu, no quick add. */
  canEdit: boolean;
  /** The frame (after the column mounts) in which its cards mount: the column's place on the board. */
  revealFrame: number;
}

/**
 * A card's height before it is measured: a one-line title, plus the meta row (labels, due date,
 * estimate, assignees) when it has one (styles.css .task-card). Measuring corrects a longer title;
 * a right guess spares the column a second layout when its cards mount.
 */
const CARD_HEIGHT = 57;
const META_ROW_HEIGHT = 22;
const estimateCard = (task: Task | undefined) =>
  CARD_HEIGHT + (task && cardHasMeta(task) ? META_ROW_HEIGHT : 0);
/** The gap between cards (.column-cards in styles.css): the virtualiser places cards with it. */
const CARD_GAP = 6;

export const BoardColumn = memo(function BoardColumn({ stage, stages, taskIds, loadingCount, tasks, membersById, onOpen, canEdit, revealFrame }: BoardColumnProps) {
  const { setNodeRef, isOver } = useDroppable({ id: columnId(stage.id), data: { type: 'column' } });
  const [renaming, setRenaming] = useState(false);

  // Only the cards in (and near) the column's scrolled window are in the DOM, so a column of
  // thousands opens at once. The card being dragged stays mounted wherever it is: dnd-kit
  // measures and moves its node, and keyboard moves scroll the column under it.
  const scrollRef = useRef<HTMLUListElement>(null);
  const draggedId = useDndContext().active?.id;
  const draggedIndex = draggedId === undefined ? -1 : taskIds.indexOf(String(draggedId));
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      return draggedIndex < 0 || indexes.includes(draggedIndex) ? indexes : [...indexes, draggedIndex].sort((a, b) => a - b);
    },
    [draggedIndex],
  );
  const virtualizer = useVirtualizer({
    count: taskIds.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimateCard(tasks[taskIds[index]!]),
    getItemKey: useCallback((index: number) => taskIds[index]!, [taskIds]),
    gap: CARD_GAP,
    overscan: 4,
    rangeExtractor,
    // Before the column is laid out, assume it is as tall as the window: the first render then
    // already holds the cards in view, not only the overscan.
    initialRect: { width: 0, height: window.innerHeight },
  });
  useTaskRevealer((taskId) => {
    const index = taskIds.indexOf(taskId);
    if (index < 0) return false;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    return true;
  });
  // The cards outside the window are stood in for by spacers (not by padding: a box is never
  // shorter than its padding, so the column would stop scrolling). The dragged card may sit far
  // from the window, so a spacer goes wherever rendered cards are not adjacent. The list's flex
  // gap follows each spacer too, so a spacer is one gap shorter than the room it holds.
  // The column's cards mount after the column, one column per frame (see useReveal).
  const cardsShown = useReveal(revealFrame);
  const rows: ReactNode[] = [];
  let next = 0; // where the next card would start
  const spacer = (room: number, key: string) => <li key={key} aria-hidden="true" className="column-spacer" style={{ height: room - CARD_GAP }} />;
  for (const item of cardsShown ? virtualizer.getVirtualItems() : []) {
    if (item.start > next) rows.push(spacer(item.start - next, `spacer-before-${item.key}`));
    const task = tasks[taskIds[item.index]!];
    if (task) rows.push(<TaskCard key={task.id} task={task} membersById={membersById} onOpen={onOpen} index={item.index} measureRef={virtualizer.measureElement} />);
    next = item.end + CARD_GAP;
  }
  const after = virtualizer.getTotalSize() + CARD_GAP - next;
  if (next > 0 && after > 0) rows.push(spacer(after, 'spacer-end'));

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
            <span className="column-count" aria-label={`${loadingCount ?? taskIds.length} tasks`}>
              {loadingCount ?? taskIds.length}
            </span>
            {canEdit && <StageMenu stage={stage} stages={stages} onRename={() => setRenaming(true)} />}
          </>
        )}
      </header>
      <SortableContext id={stage.id} items={taskIds} strategy={verticalListSortingStrategy}>
        <ul className="column-cards" aria-label={`${stage.name} tasks`} ref={scrollRef}>
          {rows}
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
