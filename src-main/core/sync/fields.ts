/**
 * Reading and writing entity fields on Y.Maps. Short values (titles, dates, lists) are plain
 * values: the last writer wins per field. Long text is Y.Text so concurrent edits merge per character.
 */
import * as Y from 'yjs';
import type { TextEdit } from '../../contract';
import { mergeTextEdit } from './text-merge';

export type EntityMap = Y.Map<unknown>;

export function str(map: EntityMap, key: string, fallback = ''): string {
  const value = map.get(key);
  return typeof value === 'string' ? value : fallback;
}

export function nullableStr(map: EntityMap, key: string): string | null {
  const value = map.get(key);
  return typeof value === 'string' ? value : null;
}

export function num(map: EntityMap, key: string): number | null {
  const value = map.get(key);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function bool(map: EntityMap, key: string): boolean {
  return map.get(key) === true;
}

export function list<T>(map: EntityMap, key: string): T[] {
  const value = map.get(key);
  return Array.isArray(value) ? (value as T[]) : [];
}

export function text(map: EntityMap, key: string): string {
  const value = map.get(key);
  if (value instanceof Y.Text) return value.toString();
  return typeof value === 'string' ? value : '';
}

/**
 * Sets a long-text field: a whole new value, or a person's edit merged with what others changed
 * since (text-merge.ts). Either way only the changed characters are written.
 */
export function setText(map: EntityMap, key: string, next: string | TextEdit): void {
  let ytext = map.get(key);
  if (!(ytext instanceof Y.Text)) {
    ytext = new Y.Text();
    map.set(key, ytext);
  }
  mergeTextEdit(ytext as Y.Text, next);
}

/** A new entity map with `fields`; long-text keys become Y.Text. */
export function newEntity(fields: Record<string, unknown>, textKeys: readonly string[] = []): EntityMap {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) {
    if (textKeys.includes(key)) map.set(key, new Y.Text(String(value ?? '')));
    else if (value !== undefined) map.set(key, value);
  }
  return map;
}

/** Sets plain fields; Y.Text fields go through setText. Undefined values are left alone. */
export function assign(map: EntityMap, fields: Record<string, unknown>, textKeys: readonly string[] = []): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (textKeys.includes(key)) setText(map, key, typeof value === 'object' && value !== null ? (value as TextEdit) : String(value));
    else map.set(key, value);
  }
}
