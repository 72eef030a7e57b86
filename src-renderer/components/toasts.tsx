import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { create } from 'zustand';
import { isApiError } from '../../src-main/contract';

/** A button on a toast that takes back what it reports ("WEB-10 deleted" → Undo). */
export interface ToastAction {
  label: string;
  run(): Promise<void> | void;
}

interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  action?: ToastAction;
}

interface ToastState {
  toasts: Toast[];
  push(kind: Toast['kind'], message: string, action?: ToastAction): void;
  dismiss(id: number): void;
}

let nextId = 1;

export const useToasts = create<ToastState>()((set, get) => ({
  toasts: [],
  push(kind, message, action) {
    const id = nextId++;
    // Keep the last few: a burst of failures (core gone) must not bury the screen. The same
    // message again (two refused edits in a row) replaces its copy rather than stacking.
    const others = get().toasts.filter((t) => t.kind !== kind || t.message !== message);
    set({ toasts: [...others.slice(-3), { id, kind, message, ...(action ? { action } : {}) }] });
    // One with an action stays long enough to reach it.
    setTimeout(() => get().dismiss(id), action ? 10_000 : kind === 'error' ? 7000 : 3500);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));

/** Shows the core's own message (ApiError.message): it is written for people, not for logs. */
export function toastError(error: unknown): void {
  const message = isApiError(error) || error instanceof Error ? error.message : String(error);
  useToasts.getState().push('error', message);
}

export function toastInfo(message: string, action?: ToastAction): void {
  useToasts.getState().push('info', message, action);
}

function runAction(toast: Toast): void {
  useToasts.getState().dismiss(toast.id);
  void Promise.resolve()
    .then(() => toast.action?.run())
    .catch(toastError);
}

/** ⌘/Ctrl+Z outside a field: the newest toast's action (Undo) without reaching for the mouse. */
export function runNewestToastAction(): boolean {
  const toast = useToasts.getState().toasts.findLast((t) => t.action);
  if (toast) runAction(toast);
  return Boolean(toast);
}

/**
 * The open modal dialog on top, if any. A modal <dialog> sits in the browser's top layer, above
 * every z-index, and makes the rest of the page inert: toasts outside it would be dimmed behind
 * its backdrop and unreadable to screen readers. So toasts render inside the top dialog.
 */
function useTopDialog(): HTMLDialogElement | null {
  const [top, setTop] = useState<HTMLDialogElement | null>(null);
  useEffect(() => {
    const find = () => setTop([...document.querySelectorAll<HTMLDialogElement>('dialog[open]')].filter((d) => d.matches(':modal')).at(-1) ?? null);
    find();
    const observer = new MutationObserver(find);
    // Opening and closing a dialog (showModal, close) toggles its open attribute; a dialog that
    // React unmounts is removed from the page first (its close() then runs on a detached node,
    // unseen here), so removals count too, or the toasts would stay in the removed dialog.
    observer.observe(document.body, { subtree: true, childList: true, attributeFilter: ['open'] });
    return () => observer.disconnect();
  }, []);
  return top;
}

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  const dialog = useTopDialog();
  const list = (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
          <span>{toast.message}</span>
          {toast.action && (
            <button type="button" className="button button-ghost toast-action" onClick={() => runAction(toast)}>
              {toast.action.label}
            </button>
          )}
          <button type="button" className="icon-button" aria-label="Dismiss notification" onClick={() => dismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
  return dialog ? createPortal(list, dialog) : list;
}
