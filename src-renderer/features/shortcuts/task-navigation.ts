/**
 * Moving between tasks with j/k and the arrow keys. The view on screen publishes the order it
 * renders (the Board: its columns of task ids; the List: its filtered, sorted rows); movement is
 * computed on those ids, never by querying every card in the DOM — a virtualised view holds only
 * the visible ones. The target is then scrolled into its view's window (tasks/reveal-task.ts)
 * and focused once it has rendered.
 */
import { useEffect } from 'react';
import { revealTask, taskNavAttribute } from '../tasks/reveal-task';

/** Task ids in the order the view shows them: one array per column (the List has one). */
export type TaskOrder = readonly (readonly string[])[];

export interface PublishedOrder {
  columns: TaskOrder;
}

let published: PublishedOrder | null = null;

/** A view calls this with its rendered order; the newest mounted view wins, unmounting withdraws it. */
export function usePublishTaskOrder(columns: TaskOrder): void {
  useEffect(() => {
    const entry = { columns };
    published = entry;
    return () => {
      if (published === entry) published = null;
    };
  }, [columns]);
}

export function publishedOrder(): PublishedOrder | null {
  return published;
}

export type Direction = 'next' | 'previous' | 'left' | 'right';

/**
 * The task to move to from `current` (null: none focused yet, start at the first). Up and down
 * stay in the column and stop at its ends; left and right go to the nearest column with tasks,
 * to the same row or its last.
 */
export function neighbour(columns: TaskOrder, current: string | null, direction: Direction): string | null {
  const col = current === null ? -1 : columns.findIndex((c) => c.includes(current));
  if (col < 0) return columns.find((c) => c.length > 0)?.[0] ?? null;
  const row = columns[col]!.indexOf(current!);
  if (direction === 'next' || direction === 'previous') {
    return columns[col]![row + (direction === 'next' ? 1 : -1)] ?? null;
  }
  const step = direction === 'right' ? 1 : -1;
  for (let c = col + step; c >= 0 && c < columns.length; c += step) {
    const ids = columns[c]!;
    if (ids.length > 0) return ids[Math.min(row, ids.length - 1)]!;
  }
  return null;
}

/** The task whose card or row has focus, if any. */
export function focusedTaskId(): string | null {
  const active = document.activeElement;
  return active instanceof HTMLElement ? (active.closest(`[${taskNavAttribute}]`)?.getAttribute(taskNavAttribute) ?? null) : null;
}

/** Reveals a task in the view on screen and focuses its card or row once it is rendered. */
export function focusTask(taskId: string): void {
  void revealTask(taskId).then((element) => {
    element?.focus({ preventScroll: true });
    element?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  });
}
