import { describe, expect, it } from 'vitest';
import { keyLabel, shortcuts, shortcutsFor } from './shortcut-list';
import { neighbour } from './task-navigation';

const press = (key: string, mods: Partial<Record<'metaKey' | 'ctrlKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
  key,
  metaKey: false,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('the shortcut list', () => {
  it('binds no key twice where the dispatcher reads it (task keys and the rest are separate places)', () => {
    for (const onTask of [true, false]) {
      const keys = shortcuts.filter((s) => !s.handledInPlace && Boolean(s.onTask) === onTask).flatMap((s) => s.keys);
      expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    }
  });

  it('matches keys with their modifiers, task shortcuts first', () => {
    expect(shortcutsFor(press('l'), false).map((s) => s.id)).toEqual(['setLabels', 'showList']);
    expect(shortcutsFor(press('k', { ctrlKey: true }), false).map((s) => s.id)).toEqual(['palette']);
    expect(shortcutsFor(press('k', { metaKey: true }), true).map((s) => s.id)).toEqual(['palette']);
    expect(shortcutsFor(press('k', { ctrlKey: true }), true)).toEqual([]);
    expect(shortcutsFor(press('s', { altKey: true }), false)).toEqual([]);
    expect(shortcutsFor(press('s', { ctrlKey: true }), false)).toEqual([]);
    expect(shortcutsFor(press('?', { shiftKey: true }), false).map((s) => s.id)).toEqual(['shortcuts']);
    expect(shortcutsFor(press('Y', { ctrlKey: true, shiftKey: true }), false).map((s) => s.id)).toEqual(['teamSync']);
  });

  it('writes keys as people read them', () => {
    expect(keyLabel('mod+k', true)).toBe('⌘ K');
    expect(keyLabel('mod+shift+y', false)).toBe('Ctrl Shift Y');
    expect(keyLabel('ArrowDown', false)).toBe('↓');
    expect(keyLabel(' ', false)).toBe('Space');
  });
});

describe('moving between tasks', () => {
  const board = [[], ['a', 'b', 'c'], [], ['d']];

  it('starts at the first task, moves within a column and stops at its ends', () => {
    expect(neighbour(board, null, 'next')).toBe('a');
    expect(neighbour(board, 'gone', 'previous')).toBe('a');
    expect(neighbour(board, 'a', 'next')).toBe('b');
    expect(neighbour(board, 'c', 'next')).toBeNull();
    expect(neighbour(board, 'a', 'previous')).toBeNull();
  });

  it('goes to the nearest column with tasks, to the same row or its last', () => {
    expect(neighbour(board, 'c', 'right')).toBe('d');
    expect(neighbour(board, 'd', 'left')).toBe('a');
    expect(neighbour(board, 'a', 'left')).toBeNull();
    expect(neighbour([[]], null, 'next')).toBeNull();
  });
});
