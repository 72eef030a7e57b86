/**
 * Bad input to any entity gets a VALIDATION error naming the field, and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type Project, type Workspace } from '../contract';
import type { Core } from './core';
import { coreWithProject, projectionDump } from './testing/temp-core';

let core: Core;
let workspace: Workspace;
let project: Project;
let taskId: string;
let stageId: string;

beforeAll(async () => {
  ({ core, workspace, project } = await coreWithProject());
  const stages = await core.api.stages.list({ projectId: project.id });
  stageId = stages[0]!.id;
  taskId = (await core.api.tasks.create({ projectId: project.id, title: 'First' })).id;
});
afterAll(() => core.close());

/** Calls through the same path as RPC (untyped input) and returns the ApiError it must throw. */
async function rejection(call: () => Promise<unknown>): Promise<ApiError> {
  const before = await projectionDump(core);
  const error = await call().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect(await projectionDump(core)).toEqual(before); // nothing half-written
  return error as ApiError;
}

type Untyped = Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
const call = (method: string, input: unknown) => () => {
  const [ns, verb] = method.split('.') as [string, string];
  return (core.api as unknown as Untyped)[ns]![verb]!(input);
};

describe('validation names the field and writes nothing', () => {
  const cases: [string, () => Record<string, unknown>, string][] = [
    ['workspaces.create', () => ({ name: '   ' }), 'name'],
    ['workspaces.create', () => ({ name: 'x', color: 'red' }), 'color'],
    ['workspaces.rename', () => ({ id: 'not-a-uuid', name: 'x' }), 'id'],
    ['profile.update', () => ({ displayName: '' }), 'displayName'],
    ['members.create', () => ({ workspaceId: workspace.id, name: 'Ann', color: 'blue' }), 'color'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: '' }), 'name'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', key: '1X' }), 'key'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', status: 'done' }), 'status'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', startDate: '2026-02-30x' }), 'startDate'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', startDate: '2026-03-02', endDate: '2026-03-01' }), 'endDate'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', deliverables: [{ text: '' }] }), 'deliverables.0.text'],
    ['projects.update', () => ({ id: project.id, color: '#12345' }), 'color'],
    ['projects.update', () => ({ id: project.id, startDate: '2026-03-02', endDate: '2026-03-01' }), 'endDate'],
    ['stages.create', () => ({ projectId: project.id, name: '' }), 'name'],
    ['stages.move', () => ({ id: stageId, afterId: 'x' }), 'afterId'],
    ['stages.remove', () => ({ id: stageId, moveTasksTo: stageId }), 'moveTasksTo'],
    ['tasks.create', () => ({ projectId: project.id, title: '' }), 'title'],
    ['tasks.create', () => ({ projectId: project.id, title: 'T', priority: 'critical' }), 'priority'],
    ['tasks.create', () => ({ projectId: project.id, title: 'T', estimateHours: -1 }), 'estimateHours'],
    ['tasks.create', () => ({ projectId: project.id, title: 'T', assigneeIds: [crypto.randomUUID()] }), 'assigneeIds.0'],
    ['tasks.update', () => ({ id: taskId, dueDate: '22/11/2026' }), 'dueDate'],
    ['tasks.update', () => ({ id: taskId, labels: [''] }), 'labels.0'],
    ['tasks.update', () => ({ id: taskId, unknownField: 1 }), 'unknownField'],
    ['tasks.move', () => ({ id: taskId }), 'stageId'],
    ['tasks.move', () => ({ id: taskId, stageId, afterId: crypto.randomUUID() }), 'afterId'],
  ];
  it.each(cases)('%s %#', async (method, input, field) => {
    const error = await rejection(call(method, input()));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain(field);
    expect(error.message).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it('an unknown id is NOT_FOUND, not a crash', async () => {
    const error = await rejection(call('tasks.update', { id: crypto.randomUUID(), title: 'x' }));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('a duplicate project key is a CONFLICT naming the key', async () => {
    const error = await rejection(call('projects.create', { workspaceId: workspace.id, name: 'Other', key: 'WEB' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('key');
  });

  it('an end date before the stored start date is refused', async () => {
    await core.api.projects.update({ id: project.id, startDate: '2026-03-01', endDate: null });
    const error = await rejection(call('projects.update', { id: project.id, endDate: '2026-02-01' }));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('endDate');
  });

  it('a stage of another project is refused', async () => {
    const other = await core.api.projects.create({ workspaceId: workspace.id, name: 'Other' });
    const [otherStage] = await core.api.stages.list({ projectId: other.id });
    const error = await rejection(call('tasks.move', { id: taskId, stageId: otherStage!.id }));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('stageId');
  });
});
