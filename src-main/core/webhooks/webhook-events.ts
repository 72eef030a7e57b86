/**
 * Which webhook events a saved change is, and their payloads (`{ type, timestamp, workspaceId,
 * data }`, docs/WEBHOOKS.md). Derived from the entities the save changed, with the values as saved:
 *  - a task: created; deleted (`deletedAt` set); moved (its stage or place in the column changed);
 *    updated (any other field, a restore included) — one save may be both moved and updated;
 *  - a project: created, deleted, updated (the same way);
 *  - a GitHub move by the `onMerge` rule (task-moves.ts): the PR was merged → `github.pr.merged`.
 */
import { uuidv7 } from 'uuidv7';
import type { WebhookEventType } from '../../contract';
import type { EntityChange, SavedChange } from '../sync/doc-store';

export interface OutgoingEvent {
  /** The `webhook-id`: one per event, the same for every attempt and every endpoint. */
  id: string;
  type: WebhookEventType | 'webhook.test';
  /** The exact JSON sent and signed. */
  body: string;
}

export const newWebhookId = () => `msg_${uuidv7().replaceAll('-', '')}`;

export function eventBody(type: string, timestamp: string, workspaceId: string, data: unknown): string {
  return JSON.stringify({ type, timestamp, workspaceId, data });
}

/** Fields a payload shows of each entity (long text such as a task's description is left out: it can be megabytes). */
const taskFields = ['number', 'title', 'stageId', 'order', 'priority', 'assigneeIds', 'labels', 'dueDate', 'estimateHours', 'createdAt', 'updatedAt', 'deletedAt'];
const projectFields = ['name', 'key', 'status', 'clientName', 'startDate', 'endDate', 'tags', 'color', 'archivedAt', 'createdAt', 'updatedAt', 'deletedAt'];
const longText = new Set(['description', 'notes']);
/** Bookkeeping: changes nothing a receiver acts on by itself. */
const bookkeeping = new Set(['updatedAt', 'createdAt', 'createdOn']);
const placeFields = new Set(['stageId', 'order']);

function snapshot(entity: EntityChange, fields: readonly string[], extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: entity.id, ...extra };
  for (const field of fields) {
    const value = entity.map?.get(field);
    out[field] = value === undefined ? null : value;
  }
  return out;
}

/** `{ field: { from, to } }` of the changed fields (long text: only that it changed). */
function changesOf(entity: EntityChange, keep: (field: string) => boolean): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const f of entity.fields) {
    if (!keep(f.field)) continue;
    changes[f.field] = longText.has(f.field) ? { changed: true } : { from: f.oldValue ?? null, to: f.newValue ?? null };
  }
  return changes;
}

const wasDeleted = (entity: EntityChange) => entity.fields.some((f) => f.field === 'deletedAt' && !f.oldValue && f.newValue);

/**
 * The events of one saved change that `wanted` (none for a change no webhook event names). A body
 * is built only for a wanted type: this runs inside every save.
 */
export function eventsOfChange(change: SavedChange, wanted: (type: WebhookEventType) => boolean = () => true): OutgoingEvent[] {
  const { workspaceId, projectId } = change.room;
  const events: OutgoingEvent[] = [];
  const add = (type: WebhookEventType, data: () => unknown) => {
    if (wanted(type)) events.push({ id: newWebhookId(), type, body: eventBody(type, change.at, workspaceId, data()) });
  };
  for (const entity of change.entities) {
    if (entity.removed || !entity.map) continue;
    if (entity.entity === 'task' || entity.entity === 'project') {
      const kind = entity.entity;
      const data = (extra: Record<string, unknown>) =>
        kind === 'task' ? { task: snapshot(entity, taskFields, { projectId }), ...extra } : { project: snapshot(entity, projectFields, {}), ...extra };
      if (entity.created) {
        add(`${kind}.created`, () => data({}));
        continue;
      }
      if (wasDeleted(entity)) {
        add(`${kind}.deleted`, () => data({}));
        continue;
      }
      if (kind === 'task' && entity.fields.some((f) => placeFields.has(f.field))) {
        const stage = entity.fields.find((f) => f.field === 'stageId');
        const current = entity.map.get('stageId') ?? null;
        add('task.moved', () => data({ fromStageId: stage ? (stage.oldValue ?? null) : current, toStageId: current }));
      }
      if (!wanted(`${kind}.updated`)) continue;
      const other = changesOf(entity, (field) => !bookkeeping.has(field) && (kind === 'project' || !placeFields.has(field)));
      if (Object.keys(other).length > 0) add(`${kind}.updated`, () => data({ changes: other }));
    } else if (entity.entity === 'githubMove' && entity.created && entity.map.get('rule') === 'onMerge') {
      const move = entity.map;
      add('github.pr.merged', () => ({
        taskId: move.get('taskId') ?? null,
        projectId,
        repo: move.get('repo') ?? null,
        pull: { number: move.get('pull') ?? null, url: move.get('pullUrl') ?? null, title: move.get('pullTitle') ?? null },
        fromStageId: move.get('fromStageId') ?? null,
        toStageId: move.get('toStageId') ?? null,
      }));
    }
  }
  return events;
}
