/**
 * Every keyboard shortcut, once. The shortcut sheet (?) lists them, the command palette shows each
 * action's keys, and use-global-shortcuts dispatches them — all reading this list, so a key can
 * never be documented in one place and bound differently in another.
 */

export type ShortcutId =
  | 'palette'
  | 'shortcuts'
  | 'undo'
  | 'settings'
  | 'teamSync'
  | 'newProject'
  | 'newTask'
  | 'showBoard'
  | 'showList'
  | 'showTrash'
  | 'next'
  | 'previous'
  | 'columnLeft'
  | 'columnRight'
  | 'open'
  | 'close'
  | 'setStatus'
  | 'setPriority'
  | 'priorityByNumber'
  | 'assign'
  | 'setLabels'
  | 'setDueDate'
  | 'deleteTask'
  | 'dragPickUp'
  | 'dragMove';

export type ShortcutGroup = 'General' | 'Project' | 'Navigate' | 'Focused or open task' | 'Board';

export interface Shortcut {
  id: ShortcutId;
  /**
   * Each a KeyboardEvent.key, lower case for letters, with `mod+` (⌘ on macOS, Ctrl elsewhere)
   * and `shift+` where a modifier is part of it. Any of them triggers it.
   */
  keys: string[];
  label: string;
  group: ShortcutGroup;
  /** Acts on the focused card or row, else the open task; without one, the key falls through. */
  onTask?: boolean;
  /** Offered in the command palette (with its keys). */
  inPalette?: boolean;
  /** Handled where it happens (the focused card, the drag, the dialog), not by the global dispatcher. */
  handledInPlace?: boolean;
}

/** Priority keys as in Linear: 1 is the most pressing; 0 resets to the default, Normal. */
export const priorityByDigit = { '1': 'urgent', '2': 'high', '3': 'normal', '4': 'low', '0': 'normal' } as const;

export const shortcuts: readonly Shortcut[] = [
  // In the palette in this order: the common actions first.
  { id: 'newTask', keys: ['c'], label: 'New task', group: 'Project', inPalette: true },
  { id: 'showBoard', keys: ['b'], label: 'Show board', group: 'Project', inPalette: true },
  { id: 'showList', keys: ['l'], label: 'Show list', group: 'Project', inPalette: true },
  { id: 'showTrash', keys: ['t'], label: 'Show trash', group: 'Project', inPalette: true },
  { id: 'palette', keys: ['mod+k'], label: 'Command palette', group: 'General' },
  { id: 'newProject', keys: ['n'], label: 'New project', group: 'General', inPalette: true },
  { id: 'settings', keys: ['mod+,'], label: 'Settings', group: 'General', inPalette: true },
  { id: 'teamSync', keys: ['mod+shift+y'], label: 'Team sync', group: 'General', inPalette: true },
  { id: 'shortcuts', keys: ['?'], label: 'Keyboard shortcuts', group: 'General', inPalette: true },
  { id: 'undo', keys: ['mod+z'], label: 'Undo (the newest toast’s Undo)', group: 'General' },
  { id: 'next', keys: ['j', 'ArrowDown'], label: 'Next task', group: 'Navigate' },
  { id: 'previous', keys: ['k', 'ArrowUp'], label: 'Previous task', group: 'Navigate' },
  { id: 'columnLeft', keys: ['ArrowLeft'], label: 'Column to the left (board)', group: 'Navigate' },
  { id: 'columnRight', keys: ['ArrowRight'], label: 'Column to the right (board)', group: 'Navigate' },
  { id: 'open', keys: ['Enter'], label: 'Open the focused task', group: 'Navigate', handledInPlace: true },
  { id: 'close', keys: ['Escape'], label: 'Close the task, menu or dialog', group: 'Navigate' },
  { id: 'setStatus', keys: ['s'], label: 'Set status', group: 'Focused or open task', onTask: true },
  { id: 'setPriority', keys: ['p'], label: 'Set priority', group: 'Focused or open task', onTask: true },
  {
    id: 'priorityByNumber',
    keys: ['1', '2', '3', '4', '0'],
    label: 'Priority (1 urgent … 4 low, 0 normal)',
    group: 'Focused or open task',
    onTask: true,
  },
  { id: 'assign', keys: ['a'], label: 'Assign', group: 'Focused or open task', onTask: true },
  { id: 'setLabels', keys: ['l'], label: 'Labels', group: 'Focused or open task', onTask: true },
  { id: 'setDueDate', keys: ['d'], label: 'Due date', group: 'Focused or open task', onTask: true },
  { id: 'deleteTask', keys: ['Delete', 'Backspace'], label: 'Delete (with Undo)', group: 'Focused or open task', onTask: true },
  { id: 'dragPickUp', keys: [' '], label: 'Pick up / drop the focused card', group: 'Board', handledInPlace: true },
  { id: 'dragMove', keys: ['ArrowLeft', 'ArrowUp', 'ArrowRight', 'ArrowDown'], label: 'Move a picked-up card', group: 'Board', handledInPlace: true },
];

export const shortcutGroups: readonly ShortcutGroup[] = ['General', 'Project', 'Navigate', 'Focused or open task', 'Board'];

export function shortcutById(id: ShortcutId): Shortcut {
  return shortcuts.find((s) => s.id === id)!;
}

/** The shortcuts an event triggers, task ones first (on a focused task, `l` is its labels, not the List). */
export function shortcutsFor(event: Pick<KeyboardEvent, 'key' | 'metaKey' | 'ctrlKey' | 'altKey' | 'shiftKey'>, isMac: boolean): Shortcut[] {
  if (event.altKey) return [];
  const mod = isMac ? event.metaKey : event.ctrlKey;
  const other = isMac ? event.ctrlKey : event.metaKey;
  if (other) return [];
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const matches = shortcuts.filter(
    (s) =>
      !s.handledInPlace &&
      s.keys.some((spec) => {
        const parts = spec.split('+');
        const base = parts.at(-1);
        const wantsMod = parts.includes('mod');
        const wantsShift = parts.includes('shift');
        // Shift is part of a printed key ("?" is Shift+/), so it only has to match where a spec names it.
        return base === key && wantsMod === mod && (!wantsShift || event.shiftKey);
      }),
  );
  return [...matches.filter((s) => s.onTask), ...matches.filter((s) => !s.onTask)];
}

/** How a key is written on screen: `⌘ K`, `Ctrl K`, `Shift Y`, `↓`, `Space`. */
export function keyLabel(spec: string, isMac: boolean): string {
  const names: Record<string, string> = {
    mod: isMac ? '⌘' : 'Ctrl',
    shift: 'Shift',
    ArrowDown: '↓',
    ArrowUp: '↑',
    ArrowLeft: '←',
    ArrowRight: '→',
    Escape: 'Esc',
    ' ': 'Space',
  };
  return spec
    .split('+')
    .map((part) => names[part] ?? (part.length === 1 ? part.toUpperCase() : part))
    .join(' ');
}

export const isMacPlatform = (): boolean =>
  (globalThis.window?.groundwork?.platform ?? globalThis.navigator?.platform ?? '').toLowerCase().startsWith('mac') ||
  (globalThis.navigator?.platform ?? '').startsWith('Mac');
