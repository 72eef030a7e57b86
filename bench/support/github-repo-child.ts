/**
 * A big GitHub repo for bench/github-sync.ts, served from its own process (child-server.ts):
 * `commits` commits, `pulls` pull requests, `branches` branches, each item a recorded GitHub answer
 * (testing/cache-fixtures, sync-fixtures) with its sha, number, name and text varied — about 1 in 3
 * names a task key (`WEB-n`), some with magic words. Pages of 100 with `Link` headers; every 200
 * carries a strong ETag and a 304 answers an `If-None-Match` that matches, with GitHub's rate-limit
 * headers (a 304 spends nothing). Prints `{ "baseUrl": … }`, then serves until killed.
 *
 *   node --import tsx bench/support/github-repo-child.ts <commits> <pulls> <branches> <tasks>
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordings } from '../../src-main/core/integrations/github/testing/cache-fixtures/etag-replay-server';

const [commitCount, pullCount, branchCount, taskCount] = process.argv.slice(2).map(Number) as [number, number, number, number];
if (![commitCount, pullCount, branchCount, taskCount].every((n) => Number.isInteger(n) && n > 0)) throw new Error('github-repo-child: <commits> <pulls> <branches> <tasks>');

const syncFixtures = new URL('../../src-main/core/integrations/github/testing/sync-fixtures/', import.meta.url);
const first = <T>(name: string, folder?: URL) => recordings(name, folder)[0]!.response as T;
const commitTemplate = first<Record<string, unknown>[]>('commits-list')[0]!;
const pullTemplate = first<Record<string, unknown>[]>('pulls-list')[0]!;
const branchTemplate = first<Record<string, unknown>[]>('branches-list')[0]!;
const repoMeta = first<Record<string, unknown>>('get-repository', syncFixtures);
const runs = first<Record<string, unknown>>('actions-runs-list-paginated');
const deployments = first<Record<string, unknown>[]>('deployments-list', syncFixtures);

const sha = (seed: string) => createHash('sha1').update(seed).digest('hex');
const key = (i: number) => `WEB-${1 + (i % taskCount)}`;
const subjects = ['Fix the login form', 'Add CSV export', 'Speed up the board', 'Handle offline edits', 'Update dependencies', 'Refactor the relay'];
const subject = (i: number) => subjects[i % subjects.length]!;
const day = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString().replace('.000', '');

// Newest first, as GitHub lists them.
const commits = Array.from({ length: commitCount }, (_, n) => {
  const i = commitCount - 1 - n;
  const message = i % 3 === 0 ? `${key(i)} ${subject(i)}` : i % 3 === 1 ? `${subject(i)}\n\nSee the discussion in the team.` : `chore: ${subject(i).toLowerCase()}`;
  const commit = structuredClone(commitTemplate) as { sha: string; html_url: string; commit: { message: string; author: { date: string }; committer: { date: string } } };
  commit.sha = sha(`commit ${i}`);
  commit.html_url = `https://github.com/octo-org/website/commit/${commit.sha}`;
  commit.commit = { ...commit.commit, message, author: { ...commit.commit.author, date: day(i) }, committer: { ...commit.commit.committer, date: day(i) } };
  return commit;
});
const pulls = Array.from({ length: pullCount }, (_, n) => {
  const i = pullCount - 1 - n;
  const merged = i % 4 !== 0;
  const pull = structuredClone(pullTemplate) as Record<string, unknown> & { head: Record<string, unknown>; base: Record<string, unknown> };
  Object.assign(pull, {
    number: i + 1,
    title: i % 2 === 0 ? `${subject(i)} (fixes ${key(i)})` : subject(i),
    body: i % 2 === 1 ? `Part of ${key(i)}.` : 'What it does, and how it was tested.',
    state: merged ? 'closed' : 'open',
    merged_at: merged ? day(i) : null,
    closed_at: merged ? day(i) : null,
    created_at: day(i),
    updated_at: day(i),
    html_url: `https://github.com/octo-org/website/pull/${i + 1}`,
  });
  pull.head = { ...pull.head, ref: `dev/${key(i).toLowerCase()}-${i}`, sha: sha(`head ${i}`) };
  return pull;
});
const branches = Array.from({ length: branchCount }, (_, i) => ({ ...branchTemplate, name: i === 0 ? 'main' : `dev/${key(i).toLowerCase()}-work-${i}`, commit: { sha: sha(`branch ${i}`), url: '' } }));

/** `path?query` → [status, body]; a list is paged by `per_page` and `page` with a `Link` header. */
function route(url: URL): { body: unknown; link?: string } | null {
  const base = '/repos/octo-org/website';
  const page = Number(url.searchParams.get('page') ?? 1);
  const perPage = Number(url.searchParams.get('per_page') ?? 30);
  const paged = (items: unknown[]) => {
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const at = (p: number) => {
      const next = new URL(url);
      next.searchParams.set('page', String(p));
      return `${origin}${next.pathname}${next.search}`;
    };
    const link = page < last ? `<${at(page + 1)}>; rel="next", <${at(last)}>; rel="last"` : undefined;
    return { body: items.slice((page - 1) * perPage, page * perPage), link };
  };
  switch (url.pathname) {
    case '/user':
      return { body: { login: 'octo-user', id: 1 } };
    case base:
      return { body: { ...repoMeta, full_name: 'octo-org/website', html_url: 'https://github.com/octo-org/website', default_branch: 'main' } };
    case `${base}/branches`:
      return paged(branches);
    case `${base}/commits`:
      return paged(commits);
    case `${base}/pulls`:
      return paged(pulls);
    case `${base}/actions/runs`:
      return { body: runs };
    case `${base}/deployments`:
      return { body: deployments };
  }
  if (/\/pulls\/\d+\/reviews$/.test(url.pathname)) return { body: [] };
  if (/\/commits\/[0-9a-f]+\/status$/.test(url.pathname)) return { body: { state: 'success', total_count: 1, statuses: [] } };
  if (/\/deployments\/\d+\/statuses$/.test(url.pathname)) return { body: [{ state: 'success', environment_url: 'https://example.com' }] };
  return null;
}

let remaining = 5000;
let origin = '';
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const found = route(url);
  if (!found) {
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
    return;
  }
  const body = JSON.stringify(found.body);
  const etag = `"${sha(body)}"`;
  const limits = { 'x-ratelimit-limit': '5000', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600), 'x-ratelimit-resource': 'core' };
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, { etag, ...limits, 'x-ratelimit-remaining': String(remaining) }).end();
    return;
  }
  remaining = Math.max(0, remaining - 1);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', etag, ...limits, 'x-ratelimit-remaining': String(remaining) };
  if (found.link) headers.link = found.link;
  response.writeHead(200, headers).end(body);
});
server.listen(0, '127.0.0.1', () => {
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.stdout.write(`${JSON.stringify({ baseUrl: origin })}\n`);
});
