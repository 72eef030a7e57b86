/**
 * Input a probe found passing validation and then failing (or being silently changed) deeper down:
 * each is now a VALIDATION error naming the field, over the real RPC, with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, connect, type Client, type Project, type Workspace } from '../contract';
import { inProcessPair } from '../rpc/in-process';
import type { Core } from './core';
import { connectTo, coreWithProject, projectionDump } from './testing/temp-core';

let core: Core;
let client: Client;
/** The workspace and project `coreWithProject` made, a stage and a task of it. */
let workspace: Workspace, project: Project, stageId: string, taskId: string;

beforeAll(async () => {
  ({ core, workspace, project } = await coreWithProject());
  client = connectTo(core);
  stageId = (await client.api.stages.list({ projectId: project.id }))[0]!.id;
  taskId = (await client.api.tasks.create({ projectId: project.id, title: 'First' })).id;
});
afterAll(async () => {
  client.close();
  await core.close();
});

/** Everything a call could write: the projection, the update log and the local settings. */
async function replicaState(): Promise<unknown> {
  const db = core.internals.db;
  const log = await db.query('SELECT room, count(*)::int AS n FROM doc_updates GROUP BY room ORDER BY room');
  const settings = await db.query('SELECT key, value FROM settings ORDER BY key');
  return { projection: await projectionDump(core), log: log.rows, settings: settings.rows };
}

type Untyped = Record<string, Record<string, (input: unknown) => Promise<unknown>>>;

/** Calls `method` over RPC with untyped input; returns the ApiError it must fail with, having written nothing. */
async function refused(method: string, input: unknown): Promise<ApiError> {
  const [ns, verb] = method.split('.') as [string, string];
  const before = await replicaState();
  const outcome = await (client.api as unknown as Untyped)[ns]![verb]!(input).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  expect(outcome).toHaveProperty('error');
  const { error } = outcome as { error: unknown };
  expect(error).toBeInstanceOf(ApiError);
  expect(await replicaState()).toEqual(before);
  return error as ApiError;
}

async function expectValidation(method: string, input: unknown, field: string, message: string | RegExp) {
  const error = await refused(method, input);
  expect({ code: error.code, field: (error.details as { field?: unknown } | undefined)?.field }).toEqual({
    code: 'VALIDATION',
    field,
  });
  expect(error.message).toMatch(message);
}

/** Every free-text field, as `[method, input with the bad text, field]` (inputs read ids once they exist). */
function textFields(bad: string): [string, () => Record<string, unknown>, string][] {
  return [
    ['workspaces.create', () => ({ name: `Acme ${bad}` }), 'name'],
    ['workspaces.rename', () => ({ id: workspace.id, name: `Acme ${bad}` }), 'name'],
    ['profile.update', () => ({ displayName: `Ann ${bad}` }), 'displayName'],
    ['members.create', () => ({ workspaceId: workspace.id, name: `Bob ${bad}` }), 'name'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: `P ${bad}` }), 'name'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', description: bad }), 'description'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', clientName: `Client ${bad}` }), 'clientName'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', notes: bad }), 'notes'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', tags: ['ok', `t${bad}`] }), 'tags.1'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', deliverables: [{ text: `Logo ${bad}` }] }), 'deliverables.0.text'],
    ['projects.update', () => ({ id: project.id, name: `P ${bad}` }), 'name'],
    ['projects.update', () => ({ id: project.id, description: bad }), 'description'],
    ['projects.update', () => ({ id: project.id, clientName: `Client ${bad}` }), 'clientName'],
    ['projects.update', () => ({ id: project.id, notes: bad }), 'notes'],
    ['projects.update', () => ({ id: project.id, tags: [`t${bad}`] }), 'tags.0'],
    ['projects.update', () => ({ id: project.id, deliverables: [{ text: 'ok' }, { text: `Logo ${bad}` }] }), 'deliverables.1.text'],
    ['stages.create', () => ({ projectId: project.id, name: `Review ${bad}` }), 'name'],
    ['stages.rename', () => ({ id: stageId, name: `Review ${bad}` }), 'name'],
    ['tasks.create', () => ({ projectId: project.id, title: `T ${bad}` }), 'title'],
    ['tasks.create', () => ({ projectId: project.id, title: 'T', description: bad }), 'description'],
    ['tasks.create', () => ({ projectId: project.id, title: 'T', labels: [`l${bad}`] }), 'labels.0'],
    ['tasks.update', () => ({ id: taskId, title: `T ${bad}` }), 'title'],
    ['tasks.update', () => ({ id: taskId, description: bad }), 'description'],
    ['tasks.update', () => ({ id: taskId, labels: ['ok', `l${bad}`] }), 'labels.1'],
    ['sync.createInvite', () => ({ workspaceId: workspace.id, role: 'member', name: `Bob ${bad}` }), 'name'],
  ];
}

describe('text Postgres cannot store as given is refused by the contract', () => {
  it.each(textFields('a\u0000b'))('NUL: %s %#', async (method, input, field) => {
    await expectValidation(method, input(), field, /must not contain NUL characters/);
  });

  it.each([...textFields('a\uD800b'), ...textFields('\uDC00'), ...textFields('x\uDBFF')])(
    'lone surrogate: %s %#',
    async (method, input, field) => {
      await expectValidation(method, input(), field, /must be well-formed Unicode \(no lone surrogates\)/);
    },
  );

  it('a surrogate pair (text outside the BMP) is kept as written; half of one is refused', async () => {
    const task = await client.api.tasks.update({ id: taskId, title: 'Ship 🚀 𝔘', labels: ['🏷️'] });
    expect(task.title).toBe('Ship 🚀 𝔘');
    expect(task.labels).toEqual(['🏷️']);
    await expectValidation('tasks.update', { id: taskId, title: 'Ship 🚀'.slice(0, -1) }, 'title', /lone surrogates/);
  });
});

describe('calendar days must be real dates in a sane range', () => {
  const dateFields = (day: string): [string, () => Record<string, unknown>, string][] => [
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', startDate: day }), 'startDate'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: 'P', endDate: day }), 'endDate'],
    ['projects.update', () => ({ id: project.id, startDate: day }), 'startDate'],
    ['projects.update', () => ({ id: project.id, endDate: day }), 'endDate'],
    ['tasks.create', () => ({ projectId: project.id, title: 'T', dueDate: day }), 'dueDate'],
    ['tasks.update', () => ({ id: taskId, dueDate: day }), 'dueDate'],
  ];
  it.each([...dateFields('0000-01-01'), ...dateFields('1899-12-31'), ...dateFields('3000-01-01')])(
    '%s %#',
    async (method, input, field) => {
      await expectValidation(method, input(), field, /must be a date between 1900-01-01 and 2999-12-31/);
    },
  );

  it('the range is 1900-01-01 to 2999-12-31 inclusive, and only days that exist', async () => {
    await expectValidation('tasks.update', { id: taskId, dueDate: '2025-02-30' }, 'dueDate', /must be a date as YYYY-MM-DD/);
    await expectValidation('tasks.update', { id: taskId, dueDate: '0001-01-01' }, 'dueDate', /between/);
    expect((await client.api.tasks.update({ id: taskId, dueDate: '1900-01-01' })).dueDate).toBe('1900-01-01');
    expect((await client.api.tasks.update({ id: taskId, dueDate: '2999-12-31' })).dueDate).toBe('2999-12-31');
    expect((await client.api.tasks.update({ id: taskId, dueDate: '2024-02-29' })).dueDate).toBe('2024-02-29');
  });
});

describe('names made only of invisible characters are empty', () => {
  // (U+FEFF alone is trimmed like whitespace; after another invisible it is not.)
  const invisible = ['\u200B', '\u2800', '\u3164', '\u115F\u1160', '\uFFA0', '\u034F', '\u200C\u200D', '\u2060', '\u200B\uFEFF\u200B', ' \u00AD\u3000 ', '\u180E\u200E'];
  const names = (blank: string): [string, () => Record<string, unknown>, string][] => [
    ['workspaces.create', () => ({ name: blank }), 'name'],
    ['workspaces.rename', () => ({ id: workspace.id, name: blank }), 'name'],
    ['members.create', () => ({ workspaceId: workspace.id, name: blank }), 'name'],
    ['stages.create', () => ({ projectId: project.id, name: blank }), 'name'],
    ['stages.rename', () => ({ id: stageId, name: blank }), 'name'],
    ['tasks.create', () => ({ projectId: project.id, title: blank }), 'title'],
    ['tasks.update', () => ({ id: taskId, title: blank }), 'title'],
    ['profile.update', () => ({ displayName: blank }), 'displayName'],
    ['projects.create', () => ({ workspaceId: workspace.id, name: blank }), 'name'],
  ];
  it.each(invisible.flatMap(names))('%s %#', async (method, input, field) => {
    await expectValidation(method, input(), field, /must not be empty/);
  });

  it('a name with visible characters among invisible ones is accepted; the invisible ones alone are not', async () => {
    const member = await client.api.members.create({ workspaceId: workspace.id, name: 'Zo\u200Be' });
    expect(member.name).toBe('Zo\u200Be');
    expect((await client.api.stages.rename({ id: stageId, name: '\u2800Q' })).name).toBe('\u2800Q');
    expect((await client.api.profile.update({ displayName: '한\u3164글' })).displayName).toBe('한\u3164글');
    await expectValidation('members.create', { workspaceId: workspace.id, name: '\u200B\u200B' }, 'name', /must not be empty/);
  });
});

describe('an error reply echoes a bounded amount of the input', () => {
  it('100,000 unknown keys (about 8 MB) get a VALIDATION reply of a few KB', async () => {
    const [coreEnd, clientEnd] = inProcessPair();
    const replies: string[] = [];
    const recording = { ...coreEnd, send: (m: Parameters<typeof coreEnd.send>[0]) => (replies.push(JSON.stringify(m)), coreEnd.send(m)) };
    core.serve(recording);
    const rpc = connect(clientEnd);
    const input: Record<string, unknown> = { id: taskId };
    for (let i = 0; i < 100_000; i++) input[`unknown_field_${String(i).padStart(6, '0')}_${'x'.repeat(56)}`] = 1;
    expect(JSON.stringify(input).length).toBeGreaterThan(8_000_000);

    const error = await (rpc.api as unknown as Untyped).tasks!.update!(input).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION' });
    const reply = replies.find((r) => r.includes('"ok":false'));
    expect(reply?.length).toBeLessThan(4_000);
    expect((error as ApiError).message).toMatch(/unknown fields unknown_field_000000_x+, .* and 99995 more/);
    expect((error as ApiError).details).toMatchObject({ field: expect.stringMatching(/^unknown_field_000000_/) });
    rpc.close();
  });

  it('thousands of bad items list at most 20 issues and count the rest', async () => {
    const error = await refused('tasks.getMany', { ids: Array.from({ length: 1000 }, (_, i) => `not-an-id-${i}`) });
    expect(error.code).toBe('VALIDATION');
    const details = error.details as { issues: unknown[]; omittedIssues: number };
    expect(details.issues).toHaveLength(20);
    expect(details.omittedIssues).toBe(980);
    expect(JSON.stringify(error.toJSON()).length).toBeLessThan(4_000);
  });

  it('a very long unknown key is clipped', async () => {
    const error = await refused('tasks.update', { id: taskId, ['k'.repeat(50_000)]: 1 });
    expect(error.message.length).toBeLessThan(1_000);
    expect((error.details as { field: string }).field).toMatch(/^k{199}…$/);
  });
});

describe('lists of an unknown workspace are NOT_FOUND like every other method', () => {
  it.each([
    ['members.list', { workspaceId: crypto.randomUUID() }],
    ['projects.list', { workspaceId: crypto.randomUUID() }],
  ])('%s', async (method, input) => {
    const error = await refused(method, input);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.details).toMatchObject({ field: 'workspaceId' });
  });
});

describe('a project create that fails leaves nothing behind', () => {
  it('a failed write of the workspace doc removes the project doc and its stages again', async () => {
    const db = core.internals.db;
    const before = await replicaState();
    const listed = await client.api.projects.list({ workspaceId: workspace.id });
    // A real failure inside the second write's transaction: the projects row refuses any insert.
    await db.exec(`
      CREATE FUNCTION refuse_project() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full (test)'; END $$;
      CREATE TRIGGER refuse_project BEFORE INSERT ON projects FOR EACH ROW EXECUTE FUNCTION refuse_project();`);
    try {
      await expect(client.api.projects.create({ workspaceId: workspace.id, name: 'Doomed', key: 'DOOM' })).rejects.toMatchObject({
        code: 'INTERNAL',
      });
    } finally {
      await db.exec('DROP TRIGGER refuse_project ON projects; DROP FUNCTION refuse_project();');
    }
    expect(await replicaState()).toEqual(before); // no stages, no log rows of the orphan doc
    const orphans = await db.query(
      'SELECT DISTINCT project_id FROM stages WHERE project_id NOT IN (SELECT id FROM projects)',
    );
    expect(orphans.rows).toEqual([]);
    expect(await client.api.projects.list({ workspaceId: workspace.id })).toEqual(listed);

    // The replica still works, and a rebuild from the log alone brings back no trace of it.
    const next = await client.api.projects.create({ workspaceId: workspace.id, name: 'Doomed', key: 'DOOM' });
    expect((await client.api.stages.list({ projectId: next.id })).length).toBeGreaterThan(0);
    const dump = await projectionDump(core);
    await core.internals.docs.rebuildProjection();
    expect(await projectionDump(core)).toEqual(dump);
  });
});
