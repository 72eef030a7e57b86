import { useEffect } from 'react';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';

/** Typing in a field must never trigger single-key shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** A modal is up (native dialog or the palette): it owns the keyboard. */
function modalOpen(): boolean {
  return Boolean(document.querySelector('dialog[open], [cmdk-dialog]'));
}

export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const store = useAppStore.getState();
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        store.setPaletteOpen(!store.paletteOpen);
        return;
      }
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === 'Escape') {
        if (!modalOpen() && store.openTaskId) store.openTask(null);
        return;
      }
      if (isTyping(event.target) || modalOpen()) return;
      // A keyboard drag on the board is in progress: its keys are its own.
      if (document.querySelector('[aria-pressed="true"][aria-roledescription="sortable"]')) return;
      const project = store.selectedProjectId;
      switch (event.key) {
        case 'c':
          if (project && selectCanEdit(store)) {
            event.preventDefault();
            store.setNewTaskOpen(true);
          }
          return;
        case 'b':
          if (project) store.setView('board');
          return;
        case 'l':
          if (project) store.setView('list');
          return;
        case '?':
          store.setShortcutsOpen(true);
          return;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
