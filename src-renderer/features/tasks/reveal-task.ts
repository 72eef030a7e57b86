/**
 * Scrolling a task into view when only a window of the tasks is in the DOM (Board columns and
 * the List are virtualised): a card or row far down a column does not exist until its window is
 * scrolled to, so `element.scrollIntoView()` cannot reach it.
 *
 * Each virtualised view registers a revealer with `useTaskRevealer` (and reveals the task opened
 * in the detail panel with `useRevealOpenTask`, reveal-open-task.ts — apart, so this file needs no store and
 * plain-Node tests of navigation can import it); `revealTask(id)` asks them in
 * turn, and the one showing that task scrolls it into its window. It then resolves with the
 * task's focusable element (a board card's handle or a list row, `[data-task-nav]`) once it is rendered,
 * or null when no view on screen shows that task. Keyboard navigation (j/k) uses it to move
 * focus over the store's ordered ids:
 *
 *     const el = await revealTask(nextId);
 *     el?.focus();
 */
import { useEffect, useRef } from 'react';

/** Scrolls the task into the view's window; false when this view does not show the task. */
export type TaskRevealer = (taskId: string) => boolean;

const revealers = new Set<{ current: TaskRevealer }>();

/** Registers the view's revealer while it is mounted (the latest function is always used). */
export function useTaskRevealer(revealer: TaskRevealer): void {
  const ref = useRef(revealer);
  useEffect(() => {
    ref.current = revealer;
  });
  useEffect(() => {
    const entry = ref;
    revealers.add(entry);
    return () => {
      revealers.delete(entry);
    };
  }, []);
}

/** Marks the element that stands for a task on screen (a card's handle, a list row): `data-task-nav={task.id}`. */
export const taskNavAttribute = 'data-task-nav';

/** The focusable element of a rendered task: the card's drag handle, or the row itself. */
export function taskElement(taskId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[${taskNavAttribute}="${CSS.escape(taskId)}"]`);
}

/** A few frames: the virtualiser renders the new window on the next one or two. */
const MAX_FRAMES = 10;

export async function revealTask(taskId: string): Promise<HTMLElement | null> {
  let shown = false;
  for (const revealer of revealers) {
    if (revealer.current(taskId)) {
      shown = true;
      break;
    }
  }
  if (!shown) return taskElement(taskId);
  for (let frame = 0; frame < MAX_FRAMES; frame++) {
    const element = taskElement(taskId);
    if (element) return element;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  return taskElement(taskId);
}
