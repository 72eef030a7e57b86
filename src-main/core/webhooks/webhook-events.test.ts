/**
 * Which webhook events a saved change is (webhook-events.ts), for the change the GitHub sync writes
 * when a merged PR moves a task (task-moves.ts: a `githubMoves` entity with rule `onMerge`), and a
 * task moved and retitled in one save (and only the types wanted). Saved changes are built as the doc store gives them.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SavedChange, EntityChange } from '../sync/doc-store';
import { newEntity } from '../sync/fields';
import { eventsOfChange } from './webhook-events';

const room = { name: 'w/p', workspaceId: '0196f2a0-0000-7000-8000-000000000001', projectId: '0196f2a0-0000-7000-8000-000000000002', kind: 'project' } as unknown as SavedChange['room'];

function saved(entities: EntityChange[]): SavedChange {
  return { room, origin: { kind: 'job', jobIds: [] }, update: new Uint8Array(), entities, events: [], problems: [], at: '2026-03-02T09:00:00.000Z' };
}

/** An entity map inside a doc (a Y.Map reads its values only once integrated). */
function live(fields: Record<string, unknown>): Y.Map<unknown> {
  const doc = new Y.Doc();
  doc.getMap('c').set('x', newEntity(fields));
  return doc.getMap('c').get('x') as Y.Map<unknown>;
}

describe('webhook events of a saved change', () => {
  it('a GitHub move by a merged PR is github.pr.merged with the PR and the stages', () => {
    const move = live({ taskId: 't1', repo: 'acme/site', pull: 42, pullUrl: 'https://github.com/acme/site/pull/42', pullTitle: 'Fix login', rule: 'onMerge', fromStageId: 's1', toStageId: 's3' });
    const [event, ...rest] = eventsOfChange(saved([{ collection: 'githubMoves', entity: 'githubMove', id: 'm1', created: true, removed: false, fields: [], map: move, editor: null }]));
    expect(rest).toEqual([]);
    expect(event!.type).toBe('github.pr.merged');
    expect(JSON.parse(event!.body)).toEqual({
      type: 'github.pr.merged',
      timestamp: '2026-03-02T09:00:00.000Z',
      workspaceId: room.workspaceId,
      data: { taskId: 't1', projectId: room.projectId, repo: 'acme/site', pull: { number: 42, url: 'https://github.com/acme/site/pull/42', title: 'Fix login' }, fromStageId: 's1', toStageId: 's3' },
    });
    // A move for an opened PR is not a merge.
    const opened = live({ taskId: 't1', repo: 'acme/site', pull: 43, rule: 'onOpen' });
    expect(eventsOfChange(saved([{ collection: 'githubMoves', entity: 'githubMove', id: 'm2', created: true, removed: false, fields: [], map: opened, editor: null }]))).toEqual([]);
  });

  it('a task moved and retitled in one save is task.moved and task.updated; the description only says it changed', () => {
    const task = live({ title: 'New', stageId: 's2', order: 'a1', description: 'long' });
    const fields = [
      { field: 'stageId', oldValue: 's1', newValue: 's2' },
      { field: 'order', oldValue: 'a0', newValue: 'a1' },
      { field: 'title', oldValue: 'Old', newValue: 'New' },
      { field: 'description', oldValue: 'secret plan', newValue: 'long' },
      { field: 'updatedAt', oldValue: 'x', newValue: 'y' },
    ];
    const events = eventsOfChange(saved([{ collection: 'tasks', entity: 'task', id: 't1', created: false, removed: false, fields, map: task, editor: null }]));
    expect(events.map((e) => e.type)).toEqual(['task.moved', 'task.updated']);
    expect(JSON.parse(events[0]!.body).data).toMatchObject({ fromStageId: 's1', toStageId: 's2', task: { id: 't1', projectId: room.projectId, title: 'New' } });
    expect(JSON.parse(events[1]!.body).data.changes).toEqual({ title: { from: 'Old', to: 'New' }, description: { changed: true } });
    expect(events[1]!.body).not.toContain('secret plan');
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
    // Only the types an endpoint here wants are built (this runs in every save).
    const asked: string[] = [];
    const onlyMoved = eventsOfChange(saved([{ collection: 'tasks', entity: 'task', id: 't1', created: false, removed: false, fields, map: task, editor: null }]), (type) => {
      asked.push(type);
      return type === 'task.moved';
    });
    expect(onlyMoved.map((e) => e.type)).toEqual(['task.moved']);
    expect(JSON.parse(onlyMoved[0]!.body).data).toEqual(JSON.parse(events[0]!.body).data);
    expect(asked).toEqual(['task.moved', 'task.updated']);
  });
});
