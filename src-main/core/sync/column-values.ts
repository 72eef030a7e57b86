/**
 * Reading entity fields into Postgres column values. A doc may hold anything a teammate's client
 * wrote (the relay accepts any valid Yjs update): a date that is not a date, a NUL in a title, an
 * id that is not a UUID. Such a value must never stop the replica, so each reader returns a value
 * its column can store — the value itself when it fits, else "empty" (null, '' or the column's
 * neutral value) — and reports the field it could not store. The doc keeps the original.
 */
import * as Y from 'yjs';
import { hasLoneSurrogate, hasNul, type EntityKind } from '../../contract';
import type { EntityMap } from './fields';

/** A field of an entity whose value the projection could not store (it shows empty there). */
export interface ProjectionProblem {
  entity: EntityKind;
  id: string;
  field: string;
  /** What the doc holds, shortened for a message. */
  value: string;
  reason: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const EPOCH = '1970-01-01T00:00:00.000Z';
const INT32 = 2 ** 31 - 1;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** Text Postgres can store as written: the contract's rule for input, applied to what teammates send. */
const isStorableText = (value: string) => !hasNul(value) && !hasLoneSurrogate(value);

/** A calendar day Postgres and people agree on: a real date, years 1–9999. */
function isStorableDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An ISO time (years 1–9999) normalised as `toISOString` writes it, or null. */
export function storableTimestamp(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return null;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1 && year <= 9999 ? new Date(ms).toISOString() : null;
}

/** Replaces what Postgres cannot store in text or jsonb strings with U+FFFD; other values as they are. */
function cleanDeep(value: unknown): unknown {
  if (typeof value === 'string') return isStorableText(value) ? value : value.replaceAll('\u0000', '\uFFFD').replace(/\p{Cs}/gu, '\uFFFD');
  if (Array.isArray(value)) return value.map(cleanDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanDeep(k) as string, cleanDeep(v)]));
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/**
 * JSON text for a jsonb column, whatever the value holds, and whether it had to be cleaned.
 * JSON.stringify escapes exactly what jsonb refuses (NUL as \u0000, a lone surrogate as \udXXX),
 * so a value whose JSON has neither escape is stored as it is, without walking it.
 */
function jsonOf(value: unknown): { json: string; cleaned: boolean } {
  const json = JSON.stringify(value ?? null) ?? 'null';
  if (!/\\u(?:0000|d[89a-f])/i.test(json)) return { json, cleaned: false };
  return { json: JSON.stringify(cleanDeep(value) ?? null), cleaned: true };
}

/** JSON text for a jsonb column, whatever the value holds. */
export const storableJson = (value: unknown): string => jsonOf(value).json;

const shown = (value: unknown) => {
  const text = value instanceof Y.AbstractType ? `a ${value.constructor.name}` : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

const textOf = (value: unknown) => (value instanceof Y.Text ? value.toString() : value);

/** The readers of one entity's fields; what they cannot store goes to `problems`. */
export class ColumnReader {
  constructor(
    private readonly problems: ProjectionProblem[],
    private readonly entity: EntityKind,
    private readonly id: string,
  ) {}

  private refuse<T>(field: string, value: unknown, reason: string, empty: T): T {
    this.problems.push({ entity: this.entity, id: this.id, field, value: shown(value), reason });
    return empty;
  }

  text(m: EntityMap, field: string, fallback = ''): string {
    const value = textOf(m.get(field));
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string') return this.refuse(field, value, 'is not text', fallback);
    return isStorableText(value) ? value : this.refuse(field, value, 'contains a NUL or a lone surrogate', fallback);
  }

  uuid(m: EntityMap, field: string): string {
    const value = m.get(field);
    return isUuid(value) ? value : this.refuse(field, value, 'is not an id', NIL_UUID);
  }

  day(m: EntityMap, field: string): string | null {
    const value = m.get(field);
    if (value === undefined || value === null) return null;
    return typeof value === 'string' && isStorableDay(value) ? value : this.refuse(field, value, 'is not a date (YYYY-MM-DD)', null);
  }

  timestamp(m: EntityMap, field: string): string | null {
    const value = m.get(field);
    if (value === undefined || value === null) return null;
    return (typeof value === 'string' && storableTimestamp(value)) || this.refuse(field, value, 'is not a time', null);
  }

  /** A timestamp column that cannot be empty: the epoch stands in. */
  requiredTimestamp(m: EntityMap, field: string): string {
    return this.timestamp(m, field) ?? EPOCH;
  }

  int(m: EntityMap, field: string, fallback: number): number {
    const value = m.get(field);
    if (value === undefined || value === null) return fallback;
    return Number.isSafeInteger(value) && Math.abs(value as number) <= INT32 ? (value as number) : this.refuse(field, value, 'is not a whole number', fallback);
  }

  float(m: EntityMap, field: string): number | null {
    const value = m.get(field);
    if (value === undefined || value === null) return null;
    return typeof value === 'number' && Number.isFinite(value) ? value : this.refuse(field, value, 'is not a number', null);
  }

  bool(m: EntityMap, field: string): boolean {
    return m.get(field) === true;
  }

  /** A list as jsonb text; anything else is an empty list. */
  list(m: EntityMap, field: string): string {
    const value = m.get(field);
    if (value === undefined || value === null) return '[]';
    if (!Array.isArray(value)) return this.refuse(field, value, 'is not a list', '[]');
    const { json, cleaned } = jsonOf(value);
    if (cleaned) this.problems.push({ entity: this.entity, id: this.id, field, value: shown(value), reason: 'holds text with a NUL or a lone surrogate' });
    return json;
  }

  /** Any JSON value as jsonb text (a job's params); what jsonb cannot hold is cleaned and reported. */
  json(m: EntityMap, field: string): string {
    const value = m.get(field);
    if (value instanceof Y.AbstractType) return this.refuse(field, value, 'is not JSON', 'null');
    const { json, cleaned } = jsonOf(value);
    if (cleaned) this.problems.push({ entity: this.entity, id: this.id, field, value: shown(value), reason: 'holds text with a NUL or a lone surrogate' });
    return json;
  }
}
