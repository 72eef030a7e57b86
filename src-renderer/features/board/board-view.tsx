import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  closestCorners,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove, sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import type { Member, Task } from '../../../src-main/contract';
import { toastError } from '../../components/toasts';
import { byOrder } from '../../store/board-slice';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';
import { usePublishTaskOrder } from '../shortcuts/task-navigation';
import { useProjectView } from '../tasks/project-view-state';
import { TaskFilterBar } from '../tasks/task-filter-bar';
import { filterTasks, isFiltered } from '../tasks/task-filters';
import { useRevealOpenTask } from '../tasks/reveal-open-task';
import { useProjectTasks } from '../tasks/use-project-tasks';
import { AddStage } from './add-stage';
import { useScrollHint } from './use-scroll-hint';
import { BoardColumn, stageIdOfColumn } from './board-column';
import { TaskCardBody } from './task-card';

/** A viewer's board: no sensors, so nothing can be picked up (cards still open on click or Enter). */
const NO_SENSORS: ReturnType<typeof useSensors> = [];

/** stageId → task ids in board order (deleted tasks left out). */
type Columns = Record<string, string[]>;

export function BoardView({ projectId }: { projectId: string }) {
  // While only each column's first window is loaded, windowCounts says how many each will hold.
  const { stages, tasks, windowCounts } = useProjectTasks(projectId);
  const members = useAppStore((s) => s.members);
  const moveTask = useAppStore((s) => s.moveTask);
  const openTask = useAppStore((s) => s.openTask);
  const canEdit = useAppStore(selectCanEdit);
  useRevealOpenTask();

  const membersById = useMemo(() => new Map<string, Member>(members.map((m) => [m.id, m])), [members]);
  // The same filters as the List, remembered per project (a dragged card lands between the
  // visible neighbours, which is where the person saw it go).
  const [{ filter }, setProjectView] = useProjectView(projectId);
  const live = useMemo(() => Object.values(tasks).filter((t) => !t.deletedAt), [tasks]);
  const visible = useMemo(() => filterTasks(live, filter), [live, filter]);
  const columns = useMemo<Columns>(() => {
    // Bucket by stage, then sort each bucket: the core lists a project's tasks in board order,
    // so each bucket arrives sorted and the (stable) sort only checks it — 10,000 tasks sorted
    // as one array by order key alone interleave the stages and cost a full sort.
    const byStage = new Map<string, Task[]>(stages.map((s) => [s.id, []]));
    for (const task of visible) byStage.get(task.stageId)?.push(task);
    return Object.fromEntries([...byStage].map(([stageId, list]) => [stageId, list.sort(byOrder).map((t) => t.id)]));
  }, [stages, visible]);
  const { ref: boardRef, more: moreToTheRight, update: updateScrollHint, scrollOn } = useScrollHint('.column');

  // While dragging, cards move between columns in this local copy (dnd-kit's multi-container
  // pattern); the store only changes on drop, with one tasks.move call.
  const [dragColumns, setDragColumns] = useState<Columns | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const shown = dragColumns ?? columns;
  // j/k and the arrows move over the ids in the order shown, column by column (task-navigation.ts).
  usePublishTaskOrder(useMemo(() => stages.map((s) => shown[s.id] ?? []), [stages, shown]));
  // Drag callbacks read the latest layout through a ref: they outlive the render that made them.
  const shownRef = useRef(shown);
  useLayoutEffect(() => {
    shownRef.current = shown;
  });

  const sensors = useSensors(
    // A few pixels of travel before a drag starts, so a click still opens the card.
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: sortableKeyboardCoordinates,
      keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] },
    }),
  );

  const containerOf = useCallback((id: UniqueIdentifier, cols: Columns): string | undefined => {
    const asColumn = stageIdOfColumn(String(id));
    if (asColumn && asColumn in cols) return asColumn;
    return Object.keys(cols).find((stageId) => cols[stageId]!.includes(String(id)));
  }, []);

  // Pointer: whatever is under the pointer (works for empty columns); keyboard: nearest corners.
  const collisionDetection = useCallback<CollisionDetection>((args) => {
    if (args.pointerCoordinates) {
      const hits = pointerWithin(args);
      const cardHits = hits.filter((h) => !stageIdOfColumn(String(h.id)));
      if (cardHits.length) return cardHits;
      if (hits.length) return hits;
    }
    return closestCorners(args);
  }, []);

  const onDragStart = ({ active }: DragStartEvent) => {
    setActiveId(String(active.id));
    setDragColumns(columns);
  };

  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over) return;
    setDragColumns((prev) => {
      const cols = prev ?? columns;
      const from = containerOf(active.id, cols);
      const to = containerOf(over.id, cols);
      if (!from || !to || from === to) return prev;
      const target = cols[to]!;
      const overIndex = target.indexOf(String(over.id));
      // Over a card: take its place; over the column itself: go to the end.
      const index = overIndex >= 0 ? overIndex : target.length;
      const next = {
        ...cols,
        [from]: cols[from]!.filter((id) => id !== active.id),
        [to]: [...target.slice(0, index), String(active.id), ...target.slice(index)],
      };
      shownRef.current = next;
      return next;
    });
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const cols = shownRef.current;
    setActiveId(null);
    setDragColumns(null);
    if (!over) return;
    const id = String(active.id);
    const to = containerOf(over.id, cols);
    if (!to) return;
    let ids = cols[to]!;
    const from = containerOf(id, cols);
    if (from === to && over.id !== active.id && ids.includes(String(over.id))) {
      ids = arrayMove(ids, ids.indexOf(id), ids.indexOf(String(over.id)));
    }
    const index = ids.indexOf(id);
    if (index < 0) return;
    const task = tasks[id];
    const afterId = ids[index - 1] ?? null;
    const beforeId = ids[index + 1] ?? null;
    const original = columns[task?.stageId ?? ''] ?? [];
    const oldIndex = original.indexOf(id);
    // Same column, same neighbours: nothing moved.
    if (task?.stageId === to && original[oldIndex - 1] === (afterId ?? undefined) && original[oldIndex + 1] === (beforeId ?? undefined)) return;
    moveTask(id, to, afterId, beforeId).catch((error) => toastError(error));
  };

  const stageName = (id: UniqueIdentifier | undefined, cols: Columns) => {
    const stageId = id === undefined ? undefined : containerOf(id, cols);
    return stages.find((s) => s.id === stageId)?.name ?? 'a column';
  };
  const title = (id: UniqueIdentifier) => tasks[String(id)]?.title ?? 'task';
  /** Where the card would land if dropped now: over a card of its column, that card's place (as onDragEnd moves it). */
  const position = (id: UniqueIdentifier, overId?: UniqueIdentifier) => {
    const cols = shownRef.current;
    const stageId = containerOf(id, cols);
    const list = stageId ? cols[stageId]! : [];
    const overIndex = overId === undefined ? -1 : list.indexOf(String(overId));
    const index = overIndex >= 0 ? overIndex : list.indexOf(String(id));
    return `position ${index + 1} of ${list.length} in ${stageName(id, cols)}`;
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up “${title(active.id)}”, ${position(active.id)}.`,
    onDragOver: ({ active, over }) => (over ? `“${title(active.id)}” is now at ${position(active.id, over.id)}.` : `“${title(active.id)}” is no longer over a column.`),
    onDragEnd: ({ active, over }) => (over ? `Dropped “${title(active.id)}” in ${stageName(over.id, shownRef.current)}.` : `Dropped “${title(active.id)}”; it stays where it was.`),
    onDragCancel: ({ active }) => `Moving “${title(active.id)}” was cancelled; it is back in its place.`,
  };

  const activeTask = activeId ? tasks[activeId] : undefined;

  return (
    <DndContext
      sensors={canEdit ? sensors : NO_SENSORS}
      collisionDetection={collisionDetection}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={() => {
        setActiveId(null);
        setDragColumns(null);
      }}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable: canEdit
            ? 'To move a task, press Space to pick it up. Use the arrow keys to move it within and across columns, Space or Enter to drop, Escape to cancel. Press Enter to open it.'
            : 'Press Enter to open a task. This workspace is view only, so tasks cannot be moved.',
        },
      }}
    >
      <TaskFilterBar windowCounts={windowCounts} stages={stages} tasks={live} filter={filter} onChange={(next) => setProjectView({ filter: next })} shown={visible.length} />
      <div className="board-frame">
      <div className="board" aria-label="Board" ref={boardRef} onScroll={updateScrollHint}>
        {stages.map((stage, index) => (
          <BoardColumn
            key={stage.id}
            revealFrame={index + 1}
            stage={stage}
            stages={stages}
            taskIds={shown[stage.id] ?? []}
            loadingCount={windowCounts && !isFiltered(filter) ? (windowCounts[stage.id] ?? 0) : undefined}
            tasks={tasks}
            membersById={membersById}
            onOpen={openTask}
            canEdit={canEdit}
          />
        ))}
        {canEdit && <AddStage projectId={projectId} />}
      </div>
      {moreToTheRight && (
        <button type="button" className="board-scroll-hint" onClick={scrollOn}>
          More stages →
        </button>
      )}
      </div>
      <DragOverlay dropAnimation={null}>
        {activeTask ? (
          <div className="task-card task-card-overlay">
            <TaskCardBody task={activeTask} membersById={membersById} />
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}
