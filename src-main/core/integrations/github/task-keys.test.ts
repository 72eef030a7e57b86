/**
 * Task keys in branch names, PR titles and bodies, and commit messages: a table of texts and the
 * keys found in them (with magic words), then the resolver against real replicas — old keys of a
 * project whose key changed, and of a task renumbered after two replicas worked offline (a real
 * relay on 127.0.0.1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../core';
import { converged, eventually, startTeam, type Team } from '../../testing/team';
import { resolveTaskKeys, taskKeyMatcher, workspaceProjectKeys, type FoundTaskKey, type KeySource } from './task-keys';

let core: Core | undefined;
let team: Team | undefined;
afterEach(async () => {
  await core?.close();
  await team?.close();
  core = team = undefined;
});

/** `WEB-1` mentioned, `WEB-1!` closing. */
type Expected = string[];
const brief = (found: FoundTaskKey[]): Expected => found.map((f) => `${f.key}${f.closing ? '!' : ''}`);

// The workspace's projects: WEB and API now, SITE renamed from OLD (a former key), M2 with a digit.
const matcher = taskKeyMatcher(['WEB', 'API', 'SITE', 'OLD', 'M2']);

const cases: [KeySource, string, Expected][] = [
  // Branch names: lower-case keys between `/`, `-`, `_`, `.`.
  ['branch', 'ana/web-42-fix-login', ['WEB-42']],
  ['branch', 'web-42', ['WEB-42']],
  ['branch', 'feature/WEB-42', ['WEB-42']],
  ['branch', 'ana/fix_web-7_and_api-3', ['WEB-7', 'API-3']],
  ['branch', 'ana/web-42/api-1', ['WEB-42', 'API-1']],
  ['branch', 'release/web-4.2', []],
  ['branch', 'ana/old-12-legacy', ['OLD-12']],
  ['branch', 'ana/m2-5-model', ['M2-5']],
  ['branch', 'ana/fix-web-42', ['WEB-42']], // a magic word in a branch name closes nothing
  ['branch', 'ana/xweb-42', []],
  ['branch', 'ana/web-42x', []],
  ['branch', 'ana/web-042', []],
  ['branch', 'ana/abc-42-unknown-prefix', []],
  ['branch', 'dependabot/npm_and_yarn/web-vitals-3.1.0', []],
  // PR titles and commit messages.
  ['text', 'WEB-42 Fix the login form', ['WEB-42']],
  ['text', 'Fix the login form (WEB-42)', ['WEB-42']],
  ['text', '[WEB-42] Fix the login form', ['WEB-42']],
  ['text', 'WEB-42: fix login; see also API-7 and WEB-42', ['WEB-42', 'API-7']],
  ['text', 'Refs #WEB-42', ['WEB-42']],
  ['text', 'web-42 in lower case is prose, not a key', []],
  ['text', 'Update top-10 list and covid-19 banner', []],
  ['text', 'XWEB-42 is another system’s key', []],
  ['text', 'WEB-42X and WEB-42_1 are not keys', []],
  ['text', 'WEB-0 and WEB-042 are not keys', []],
  ['text', 'WEB-12345678901 is too long to be a task number, WEB-2147483648 too big', []],
  ['text', 'WEB-2147483647 is the last task number', ['WEB-2147483647']],
  ['text', 'Bump WEB-4.2 to WEB-4.3', []],
  ['text', 'JIRA-12 and ABC-3 belong to nobody here', []],
  ['text', 'OLD-12 still names the task of the renamed project', ['OLD-12']],
  ['text', 'Tracked in https://acme.atlassian.net/browse/WEB-42 and WEB-43', ['WEB-43']],
  ['text', 'See <https://sentry.io/issues/API-9/> and www.example.com/WEB-1', []],
  ['text', 'Ends with a key: WEB-5.', ['WEB-5']],
  ['text', 'Multi-line body\n\nWEB-8\nCo-authored-by: Ana <ana@example.com>', ['WEB-8']],
  ['text', 'Emoji 🚀 before WEB-9 and après API-2', ['WEB-9', 'API-2']],
  // Magic words.
  ['text', 'Fixes WEB-42', ['WEB-42!']],
  ['text', 'fix WEB-1, fixed WEB-2, close WEB-3, closes WEB-4, closed WEB-5', ['WEB-1!', 'WEB-2!', 'WEB-3!', 'WEB-4!', 'WEB-5!']],
  ['text', 'resolve WEB-1; RESOLVES WEB-2; Resolved: WEB-3', ['WEB-1!', 'WEB-2!', 'WEB-3!']],
  ['text', 'Closes: #WEB-42', ['WEB-42!']],
  ['text', 'Closes:WEB-42', ['WEB-42!']],
  ['text', 'Login form\n\nFixes WEB-1, WEB-2 and API-3. See WEB-4.', ['WEB-1!', 'WEB-2!', 'API-3!', 'WEB-4']],
  ['text', 'fixes WEB-1 & WEB-2', ['WEB-1!', 'WEB-2!']],
  ['text', 'fixes ABC-1, WEB-2', ['WEB-2!']], // an unknown key in the list does not break it
  ['text', 'Fixes the login in WEB-42', ['WEB-42']], // the word must come right before the key
  ['text', 'Prefixes WEB-42 and suffixes WEB-43', ['WEB-42', 'WEB-43']],
  ['text', 'fix: WEB-42 crash on login', ['WEB-42!']], // GitHub accepts "Fix:" too
  ['text', 'fix(auth): handle WEB-42', ['WEB-42']],
  ['text', 'Part of WEB-42, fixes WEB-42', ['WEB-42!']], // once per text, closing if any mention closes
  ['text', 'Fixes https://acme.atlassian.net/browse/WEB-42', []],
];

describe('taskKeyMatcher', () => {
  it.each(cases)('%s %j → %j', (source, text, expected) => {
    expect(brief(matcher.find(text, source))).toEqual(expected);
  });

  it('gives the key as the app writes it, its project key and number', () => {
    expect(matcher.find('ana/web-42-fix-login', 'branch')).toEqual([{ key: 'WEB-42', projectKey: 'WEB', number: 42, closing: false }]);
    expect(matcher.find('closes M2-7')).toEqual([{ key: 'M2-7', projectKey: 'M2', number: 7, closing: true }]);
  });

  it('tells apart keys that start alike or are prefixes of others, and ignores what cannot be a key', () => {
    const alike = taskKeyMatcher(['WEB', 'WEB2', 'WE', 'W2', 'web3', 'x', 'TOO-LONG-KEY', '9AB']);
    expect(brief(alike.find('WEB-1 WEB2-2 WE-3 W2-4 WEB3-5 WEBX-6 WE2-7 X-8 9AB-9'))).toEqual(['WEB-1', 'WEB2-2', 'WE-3', 'W2-4', 'WEB3-5']);
    expect(brief(alike.find('ana/web2-2-web-1', 'branch'))).toEqual(['WEB2-2', 'WEB-1']);
    expect(taskKeyMatcher([]).find('WEB-1 fixes API-2')).toEqual([]);
  });

  it('is reusable: one matcher, many texts, no state carried from one text to the next', () => {
    expect(brief(matcher.find('fixes WEB-1,'))).toEqual(['WEB-1!']);
    expect(brief(matcher.find('WEB-2'))).toEqual(['WEB-2']);
    expect(brief(matcher.find('no key here'))).toEqual([]);
  });
});

describe('resolveTaskKeys', () => {
  it('names the tasks of every project of the workspace, and old keys after a project’s key changed', async () => {
    core = await createCore({ dataDir: null });
    const { api } = core;
    const ws = await api.workspaces.create({ name: 'Acme' });
    const web = await api.projects.create({ workspaceId: ws.id, name: 'Web', key: 'WEB' });
    const apiProject = await api.projects.create({ workspaceId: ws.id, name: 'API', key: 'API' });
    const other = await api.workspaces.create({ name: 'Elsewhere' });
    const foreign = await api.projects.create({ workspaceId: other.id, name: 'Foreign', key: 'FOR' });
    const [w1, w2, w3] = [await api.tasks.create({ projectId: web.id, title: 'Login' }), await api.tasks.create({ projectId: web.id, title: 'Signup' }), await api.tasks.create({ projectId: web.id, title: 'Gone' })];
    const a1 = await api.tasks.create({ projectId: apiProject.id, title: 'Rate limits' });
    await api.tasks.create({ projectId: foreign.id, title: 'Not ours' });
    await api.tasks.delete({ id: w3.id });

    // The project's key changes twice: WEB → SITE → WWW. Both old keys keep naming its tasks.
    await api.projects.update({ id: web.id, key: 'SITE' });
    await api.projects.update({ id: web.id, key: 'WWW' });
    const replica = core.internals;
    expect((await workspaceProjectKeys(replica, ws.id)).sort()).toEqual(['API', 'SITE', 'WEB', 'WWW']);

    const matcher = taskKeyMatcher(await workspaceProjectKeys(replica, ws.id));
    const found = [
      ...matcher.find('Fixes WEB-1 and SITE-2; see API-1, WWW-1'),
      ...matcher.find('web-3-gone', 'branch'),
      ...matcher.find('WEB-99 does not exist; FOR-1 is another workspace’s'),
      ...matcher.find('ana/web-1-login', 'branch'),
    ];
    const resolved = await resolveTaskKeys(replica, ws.id, found);
    const summary = Object.fromEntries(resolved.map((r) => [r.key, { tasks: r.tasks.map((t) => [t.taskId, t.current]), closes: r.closesTaskId }]));
    expect(summary).toEqual({
      'WEB-1': { tasks: [[w1.id, false]], closes: w1.id },
      'SITE-2': { tasks: [[w2.id, false]], closes: w2.id },
      'API-1': { tasks: [[a1.id, true]], closes: null },
      'WWW-1': { tasks: [[w1.id, true]], closes: null },
      'WEB-3': { tasks: [], closes: null }, // deleted
      'WEB-99': { tasks: [], closes: null },
    });
    expect(resolved.find((r) => r.key === 'WEB-1')).toMatchObject({ projectKey: 'WEB', number: 1, closing: true });
    // Reads only: resolving at once from many callers gives each the same answer.
    const many = await Promise.all(Array.from({ length: 4 }, () => resolveTaskKeys(replica, ws.id, found)));
    for (const r of many) expect(r).toEqual(resolved);

    // A new project takes the old key: WEB-1 now names its task first, and the old holder still.
    const newWeb = await api.projects.create({ workspaceId: ws.id, name: 'New web', key: 'WEB' });
    const n1 = await api.tasks.create({ projectId: newWeb.id, title: 'Fresh' });
    const [again] = await resolveTaskKeys(replica, ws.id, taskKeyMatcher(['WEB']).find('fixes WEB-1'));
    expect(again!.tasks).toEqual([
      { taskId: n1.id, projectId: newWeb.id, current: true },
      { taskId: w1.id, projectId: web.id, current: false },
    ]);
    expect(again!.closesTaskId).toBeNull(); // two tasks: closing either could be wrong

    expect(await resolveTaskKeys(replica, ws.id, [])).toEqual([]);
  });

  it('finds a task renumbered after offline work by its old number, on both replicas', async () => {
    team = await startTeam(2);
    const [a, b] = team.cores as [Core, Core];
    const ws = team.workspace.id;
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Web', key: 'WEB' });
    await eventually(() => b.api.projects.list({ workspaceId: ws }), (ps) => ps.length === 1);
    // B needs the project's stages (its own doc) before it can add a task there.
    await eventually(() => b.api.stages.list({ projectId: project.id }), (stages) => stages.length > 0);

    await a.internals.sync.setOnline(ws, false);
    await b.internals.sync.setOnline(ws, false);
    const fromA = await a.api.tasks.create({ projectId: project.id, title: 'From A' });
    const fromB = await b.api.tasks.create({ projectId: project.id, title: 'From B' });
    expect(fromA.key).toBe(fromB.key); // both WEB-1: one of them will be renumbered
    // The commit written offline on B names B's task by the key B showed.
    const commit = `Fixes ${fromB.key}: sign-up form`;
    await a.internals.sync.setOnline(ws, true);
    await b.internals.sync.setOnline(ws, true);
    await converged([a, b]);
    const tasks = await eventually(
      () => a.api.tasks.getMany({ ids: [fromA.id, fromB.id] }),
      (ts) => ts.length === 2 && ts[0]!.number !== ts[1]!.number,
    );
    await converged([a, b]);
    const kept = tasks.find((t) => t.number === fromA.number)!;
    const moved = tasks.find((t) => t.number !== fromA.number)!;

    for (const replica of [a, b]) {
      // The renumbering reaches the other replica's history as a remote change.
      await eventually(() => replica.api.tasks.history({ id: moved.id }), (h) => h.some((e) => e.field === 'number'));
      const matcher = taskKeyMatcher(await workspaceProjectKeys(replica.internals, ws));
      const [old] = await resolveTaskKeys(replica.internals, ws, matcher.find(commit));
      expect(old!.tasks).toEqual([
        { taskId: kept.id, projectId: project.id, current: true },
        { taskId: moved.id, projectId: project.id, current: false },
      ]);
      expect(old!.closesTaskId).toBeNull();
      const [now] = await resolveTaskKeys(replica.internals, ws, matcher.find(`Fixes ${moved.key}`));
      expect(now).toMatchObject({ tasks: [{ taskId: moved.id, current: true }], closesTaskId: moved.id });
    }
  });
});
