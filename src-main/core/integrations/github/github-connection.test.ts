/**
 * Connecting with a token, the account, the repos page and disconnecting, through a real core and
 * its real octokit client against recorded GitHub answers on a loopback server.
 */
import { recordings, startEtagReplay } from './testing/cache-fixtures/etag-replay-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../core';
import { connectionSetting } from './connection-store';
import { recorded, startReplayServer, type ReplayServer } from './testing/octokit-replay-server';

let replay: ReplayServer;
let core: Core;

beforeAll(async () => {
  const user = recorded('user-get-2023.json');
  const repos = recorded('user-repos-list.json');
  replay = await startReplayServer({
    'bad-credentials': recorded('error-401-bad-credentials.json'),
    // Connect, then the repos page three times (unfiltered, by owner, by search).
    'connect-and-list': [...user, ...repos, ...repos, ...repos],
  });
  core = await createCore({ dataDir: null, github: { retries: false } });
});

afterAll(async () => {
  await core?.close();
  await replay?.close();
});

const storedConnection = async () => (await core.internals.db.query('SELECT 1 FROM settings WHERE key = $1', [connectionSetting])).rows.length;

describe('github connection', () => {
  it('a token GitHub refuses (recorded 401) is VALIDATION naming token, saying what to do, and nothing is stored', async () => {
    const baseUrl = await replay.load('bad-credentials');
    const failure = await core.api.github.connectToken({ token: 'ghp_revokedToken000', baseUrl }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'VALIDATION', details: { field: 'token', status: 401 } });
    expect((failure as Error).message).toMatch(/^token: GitHub did not accept this token \(Bad credentials\)\. Check that it was copied whole/);
    expect(await core.api.github.account()).toBeNull();
    expect(await storedConnection()).toBe(0);
  });

  it('bad input is VALIDATION naming the field, before any request', async () => {
    await expect(core.api.github.connectToken({ token: '  ' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('token') });
    await expect(core.api.github.connectToken({ token: 'ghp_x', baseUrl: 'http://ghe.example/api/v3' })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/baseUrl: must use https/),
    });
    await expect(core.api.github.repos({ page: 0 })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('page') });
  });

  it('before connecting: no account, and repos says to connect first', async () => {
    expect(await core.api.github.account()).toBeNull();
    await expect(core.api.github.repos({})).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('not connected') });
  });

  it('connects with a token GitHub accepts (recorded GET /user), shows the account, lists repos, disconnects', async () => {
    const baseUrl = await replay.load('connect-and-list');
    const account = await core.api.github.connectToken({ token: 'ghu_acceptedToken000', baseUrl });
    const expected = { login: 'EnricoMi', scopes: [], rateLimit: { remaining: 4997, resetAt: '2023-06-07T19:50:45.000Z' }, baseUrl };
    expect(account).toEqual(expected);
    expect(await core.api.github.account()).toEqual(expected);
    expect(await storedConnection()).toBe(1);

    const page = await core.api.github.repos({});
    expect(page).toMatchObject({ page: 1, nextPage: null });
    expect(page.repos.map((r) => r.fullName)).toEqual(['octo-user/rails_admin', 'octo-user/test-create', 'pengwynn/api-sandbox']);
    expect(page.repos[2]).toMatchObject({ owner: 'pengwynn', name: 'api-sandbox', private: true, description: 'api-sandbox' });
    // Every answer's headers update what account() shows, with no request of its own.
    expect(await core.api.github.account()).toMatchObject({ scopes: ['repo', 'user', 'gist', 'delete_repo'], rateLimit: { remaining: 4942, resetAt: null } });

    expect((await core.api.github.repos({ owner: 'PENGWYNN' })).repos.map((r) => r.fullName)).toEqual(['pengwynn/api-sandbox']);
    expect((await core.api.github.repos({ search: 'rails' })).repos.map((r) => r.fullName)).toEqual(['octo-user/rails_admin']);

    await core.api.github.disconnect();
    expect(await core.api.github.account()).toBeNull();
    expect(await storedConnection()).toBe(0);
    await expect(core.api.github.repos({})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('lists repos a GitHub page at a time, following the Link header to the next page', async () => {
    const github = await startEtagReplay();
    try {
      const fixtures = new URL('./testing/fixtures/', import.meta.url);
      github.serve(recordings('user-get-2023', fixtures), '/user');
      const [first] = recordings('user-repos-list', fixtures);
      // GitHub's documented Link form (fixtures/README.md: no second page was ever recorded).
      const link = `<https://api.github.com/user/repos?page=2>; rel="next", <https://api.github.com/user/repos?page=2>; rel="last"`;
      github.serve([{ ...first!, headers: { ...first!.headers, link } }], '/user/repos');
      github.serve(recordings('user-repos-documented', fixtures), '/user/repos?page=2');
      await core.api.github.connectToken({ token: 'ghu_acceptedToken000', baseUrl: github.baseUrl });

      const page1 = await core.api.github.repos({});
      expect(page1).toMatchObject({ page: 1, nextPage: 2 });
      expect(page1.repos).toHaveLength(3);
      const page2 = await core.api.github.repos({ page: page1.nextPage! });
      expect(page2).toMatchObject({ page: 2, nextPage: null, repos: [{ fullName: 'octocat/Hello-World', owner: 'octocat' }] });
      // A filter applies to GitHub's page: page 1 has no octocat repo, and says more pages exist.
      expect(await core.api.github.repos({ owner: 'octocat' })).toMatchObject({ repos: [], nextPage: 2 });
      await core.api.github.disconnect();
    } finally {
      await github.close();
    }
  });

  it('GitHub out of reach is UNAVAILABLE in words', async () => {
    const failure = await core.api.github.connectToken({ token: 'ghp_x', baseUrl: 'http://127.0.0.1:9/api/v3' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('GitHub could not be reached at http://127.0.0.1:9/api/v3') });
  });
});
