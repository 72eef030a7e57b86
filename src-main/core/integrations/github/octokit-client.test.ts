/**
 * The octokit factory against real recorded answers on a loopback server: the web host derived
 * from the API address, and a used-up rate limit turned into a clear UNAVAILABLE naming the reset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../ports';
import { githubClient, githubWebUrl } from './octokit-client';
import { githubError, rateLimitFrom, scopesFrom } from './octokit-errors';
import { nextPageFrom } from './repos-list';
import { recorded, startReplayServer, type ReplayServer } from './testing/octokit-replay-server';

let replay: ReplayServer;

beforeAll(async () => {
  replay = await startReplayServer({
    'rate-limit-exceeded': recorded('error-403-rate-limit-exceeded-2013.json'),
    'user-repos': recorded('user-repos-list.json'),
  });
});

afterAll(async () => {
  await replay?.close();
});

describe('githubWebUrl', () => {
  it.each([
    ['https://api.github.com', 'https://github.com'],
    ['https://api.github.com/', 'https://github.com'],
    ['https://ghe.example/api/v3', 'https://ghe.example'],
    ['https://ghe.example/api/v3/', 'https://ghe.example'],
    ['https://api.octo-corp.ghe.com', 'https://octo-corp.ghe.com'],
    ['http://127.0.0.1:4000/ghe.example/abc/api/v3', 'http://127.0.0.1:4000/ghe.example/abc'],
  ])('%s → %s', (api, web) => {
    expect(githubWebUrl(api)).toBe(web);
  });
});

describe('githubClient', () => {
  it('sends our user agent through the fetch port and reads scopes and the rate limit from the answer', async () => {
    const base = await replay.load('user-repos');
    const seen: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      seen.push(String(new Headers(init?.headers).get('user-agent')));
      return fetch(input, init);
    };
    const headers: Record<string, string | number | undefined>[] = [];
    const client = githubClient({ baseUrl: base, token: 'x', fetch: recordingFetch, logger: silentLogger, ports: { retries: false }, onHeaders: (h) => headers.push(h) });
    const { data } = await client.request('GET /user/repos');
    expect((data as unknown[]).length).toBe(3);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^Groundwork /);
    expect(scopesFrom(headers[0])).toEqual(['repo', 'user', 'gist', 'delete_repo']);
    expect(rateLimitFrom(headers[0])).toEqual({ remaining: 4942, resetAt: null });
  });

  it('a used-up rate limit (recorded 403) fails at once with a clear UNAVAILABLE, without a futile retry', async () => {
    const base = await replay.load('rate-limit-exceeded');
    const client = githubClient({ baseUrl: base, token: 'x', fetch, logger: silentLogger, ports: { retries: false } });
    const failure = await client.request('GET /users/{username}', { username: 'jacquev6' }).catch((error: unknown) => githubError(error, 'reading a user', { baseUrl: base }));
    expect(failure).toMatchObject({ code: 'UNAVAILABLE', details: { status: 403, resetAt: null } });
    // A retry would have met the consumed scenario (404 "does not match"): the recorded message shows it was not made.
    expect((failure as Error).message).toContain('API Rate Limit Exceeded for 92.104.200.119');
    expect((failure as Error).message).toMatch(/rate limit for this token is used up .* GitHub did not say when it resets/);
  });

  it('a rate limit with a reset time names it (the reset read as epoch seconds, or milliseconds as @octokit/fixtures normalises)', () => {
    expect(rateLimitFrom({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1686167445' })).toEqual({ remaining: 0, resetAt: '2023-06-07T19:50:45.000Z' });
    expect(rateLimitFrom({ 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '1507651200000' })).toEqual({ remaining: 4999, resetAt: '2017-10-10T16:00:00.000Z' });
  });

  it('reads the next page from a Link header', () => {
    expect(nextPageFrom('<https://api.github.com/user/repos?page=2>; rel="next", <https://api.github.com/user/repos?page=5>; rel="last"')).toBe(2);
    expect(nextPageFrom('<https://api.github.com/user/repos?page=4>; rel="prev", <https://api.github.com/user/repos?page=1>; rel="first"')).toBeNull();
    expect(nextPageFrom(undefined)).toBeNull();
  });
});
