/**
 * What changed in a repo since this replica last looked, fetched with conditional requests and
 * stored in this replica's cache tables (migration 0011; never synced: every replica reads GitHub
 * with its own token). Returns only what is new or changed, so linking scans nothing twice.
 *
 * Lists GitHub keeps newest first are walked only as far as they are new:
 * - commits (of the default branch): page 1 answered 304 means nothing was pushed; otherwise pages
 *   are read until a commit already stored (commits never change) — the whole history once, then
 *   a page per sync that found something.
 * - pull requests, by last update: until one no newer than the newest stored.
 * - branches: every page (a branch can move or go anywhere in the list), each page its own 304.
 * - workflow runs and deployments: the newest page.
 * A PR that changed while open gets its review state and its head's combined status (a request
 * each, bounded per sync); a deployment not yet final gets its latest status.
 *
 * An unchanged repo costs one 304 per list page (no quota) and writes nothing.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { RequestError, type Octokit } from 'octokit';
import { CACHE_HEADER } from './http-cache';

/** Bounds of one sync: a first sync of a huge repo reads this much history, later ones continue. */
export const fetchLimits = {
  commitPages: 100,
  pullPages: 30,
  branchPages: 20,
  /** Open PRs whose review and checks are read per sync (the most recently updated). */
  pullDetails: 30,
  /** Deployments whose latest status is read per sync. */
  deploymentStatuses: 10,
};
const perPage = 100;

export interface FetchedBranch {
  name: string;
  sha: string;
}
export interface FetchedCommit {
  sha: string;
  message: string;
  author: string | null;
  committedAt: string | null;
  url: string;
}
export interface FetchedPull {
  number: number;
  title: string;
  body: string;
  state: 'draft' | 'open' | 'merged' | 'closed';
  author: string | null;
  headRef: string;
  headSha: string;
  baseRef: string;
  url: string;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
}

/** What a fetch found new or changed. */
export interface RepoChanges {
  fullName: string;
  htmlUrl: string;
  branches: FetchedBranch[];
  commits: FetchedCommit[];
  pulls: FetchedPull[];
  runs: number;
  deployments: number;
  /** How many of each the cache holds after the fetch. */
  totals: { branches: number; commits: number; pulls: number; runs: number; deployments: number };
}

type Page = { data: unknown; headers: Record<string, string | number | undefined> };

const isHit = (page: Page) => page.headers[CACHE_HEADER] === 'hit';
const nextUrl = (page: Page): string | null => /<([^>]+)>;\s*rel="next"/.exec(String(page.headers.link ?? ''))?.[1] ?? null;

/** The repo's name as stored: GitHub compares owner/name case-insensitively. */
export const repoKey = (repo: string) => repo.toLowerCase();

export async function fetchRepo(octokit: Octokit, db: PGlite, repo: string, signal?: AbortSignal): Promise<RepoChanges> {
  const [owner, name] = repo.split('/') as [string, string];
  const key = repoKey(repo);
  const get = (route: string, params: Record<string, unknown> = {}): Promise<Page> => {
    signal?.throwIfAborted();
    return octokit.request(route, { owner, repo: name, ...params, request: { signal } }) as Promise<Page>;
  };
  const follow = (url: string): Promise<Page> => {
    signal?.throwIfAborted();
    return octokit.request(`GET ${url}`, { request: { signal } }) as Promise<Page>;
  };

  const meta = (await get('GET /repos/{owner}/{repo}')).data as { full_name: string; html_url: string; default_branch: string | null };
  const branches = await fetchBranches(db, key, get, follow);
  const commits = await fetchCommits(db, key, get, follow);
  const pulls = await fetchPulls(db, key, get, follow);
  await fetchPullDetails(db, key, pulls, get);
  const runs = await fetchRuns(db, key, get);
  const deployments = await fetchDeployments(db, key, get);
  await db.query(
    `INSERT INTO github_repo_state (repo, full_name, html_url, default_branch) VALUES ($1, $2, $3, $4)
     ON CONFLICT (repo) DO UPDATE SET full_name = $2, html_url = $3, default_branch = $4`,
    [key, meta.full_name, meta.html_url, meta.default_branch],
  );
  const { rows } = await db.query<RepoChanges['totals']>(
    `SELECT (SELECT count(*)::int FROM github_branches WHERE repo = $1) AS branches,
            (SELECT count(*)::int FROM github_commits WHERE repo = $1) AS commits,
            (SELECT count(*)::int FROM github_pulls WHERE repo = $1) AS pulls,
            (SELECT count(*)::int FROM github_runs WHERE repo = $1) AS runs,
            (SELECT count(*)::int FROM github_deployments WHERE repo = $1) AS deployments`,
    [key],
  );
  return { fullName: meta.full_name, htmlUrl: meta.html_url, branches, commits, pulls, runs, deployments, totals: rows[0]! };
}

type Get = (route: string, params?: Record<string, unknown>) => Promise<Page>;
type Follow = (url: string) => Promise<Page>;

/** Every page; a branch whose sha changed or that is new counts as changed; gone ones are removed. */
async function fetchBranches(db: PGlite, repo: string, get: Get, follow: Follow): Promise<FetchedBranch[]> {
  const pages: Page[] = [await get('GET /repos/{owner}/{repo}/branches', { per_page: perPage })];
  for (let url = nextUrl(pages[0]!); url && pages.length < fetchLimits.branchPages; url = nextUrl(pages.at(-1)!)) pages.push(await follow(url));
  if (pages.every(isHit)) return [];
  const listed = pages.flatMap((p) => p.data as { name: string; commit: { sha: string } }[]).map((b) => ({ name: b.name, sha: b.commit.sha }));
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ name: string; sha: string }>('SELECT name, sha FROM github_branches WHERE repo = $1', [repo]);
    const stored = new Map(rows.map((r) => [r.name, r.sha]));
    const changed = listed.filter((b) => stored.get(b.name) !== b.sha);
    await tx.query('DELETE FROM github_branches WHERE repo = $1 AND NOT (name = ANY($2::text[]))', [repo, listed.map((b) => b.name)]);
    await upsert(tx, 'github_branches', ['repo', 'name', 'sha'], ['text', 'text', 'text'], ['repo', 'name'], changed.map((b) => [repo, b.name, b.sha]));
    return changed;
  });
}

/** Newest first, until a commit already stored (commits are immutable). */
async function fetchCommits(db: PGlite, repo: string, get: Get, follow: Follow): Promise<FetchedCommit[]> {
  let page = await get('GET /repos/{owner}/{repo}/commits', { per_page: perPage });
  if (isHit(page)) return [];
  const found: FetchedCommit[] = [];
  for (let pages = 1; ; pages++) {
    const listed = (page.data as CommitItem[]).map(toCommit);
    const { rows } = await db.query<{ sha: string }>('SELECT sha FROM github_commits WHERE repo = $1 AND sha = ANY($2::text[])', [repo, listed.map((c) => c.sha)]);
    const known = new Set(rows.map((r) => r.sha));
    found.push(...listed.filter((c) => !known.has(c.sha)));
    const next = nextUrl(page);
    if (known.size > 0 || !next || pages >= fetchLimits.commitPages) break;
    page = await follow(next);
  }
  await upsert(
    db,
    'github_commits',
    ['repo', 'sha', 'message', 'author', 'committed_at', 'url'],
    ['text', 'text', 'text', 'text', 'timestamptz', 'text'],
    ['repo', 'sha'],
    found.map((c) => [repo, c.sha, c.message, c.author, c.committedAt, c.url]),
  );
  return found;
}

interface CommitItem {
  sha: string;
  html_url: string;
  commit: { message: string; author: { name?: string; date?: string } | null; committer: { date?: string } | null };
  author: { login: string } | null;
}
const toCommit = (c: CommitItem): FetchedCommit => ({
  sha: c.sha,
  message: c.commit.message,
  author: c.author?.login ?? c.commit.author?.name ?? null,
  committedAt: c.commit.committer?.date ?? c.commit.author?.date ?? null,
  url: c.html_url,
});

/** By last update, newest first, until one no newer than the newest stored. */
async function fetchPulls(db: PGlite, repo: string, get: Get, follow: Follow): Promise<FetchedPull[]> {
  let page = await get('GET /repos/{owner}/{repo}/pulls', { state: 'all', sort: 'updated', direction: 'desc', per_page: perPage });
  if (isHit(page)) return [];
  const { rows } = await db.query<{ newest: Date | null }>('SELECT max(updated_at) AS newest FROM github_pulls WHERE repo = $1', [repo]);
  const newest = rows[0]?.newest?.getTime() ?? -Infinity;
  const found: FetchedPull[] = [];
  for (let pages = 1; ; pages++) {
    const listed = (page.data as PullItem[]).map(toPull);
    const fresh = listed.filter((p) => Date.parse(p.updatedAt) > newest);
    found.push(...fresh);
    const next = nextUrl(page);
    if (fresh.length < listed.length || !next || pages >= fetchLimits.pullPages) break;
    page = await follow(next);
  }
  await upsert(
    db,
    'github_pulls',
    ['repo', 'number', 'title', 'body', 'state', 'author', 'head_ref', 'head_sha', 'base_ref', 'url', 'created_at', 'updated_at', 'merged_at', 'closed_at'],
    ['text', 'int4', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'timestamptz', 'timestamptz'],
    ['repo', 'number'],
    found.map((p) => [repo, p.number, p.title, p.body, p.state, p.author, p.headRef, p.headSha, p.baseRef, p.url, p.createdAt, p.updatedAt, p.mergedAt, p.closedAt]),
  );
  return found;
}

interface PullItem {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft?: boolean;
  merged_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  html_url: string;
  user: { login: string } | null;
  head: { ref: string; sha: string };
  base: { ref: string };
}
const toPull = (p: PullItem): FetchedPull => ({
  number: p.number,
  title: p.title,
  body: p.body ?? '',
  state: p.merged_at ? 'merged' : p.state === 'closed' ? 'closed' : p.draft ? 'draft' : 'open',
  author: p.user?.login ?? null,
  headRef: p.head.ref,
  headSha: p.head.sha,
  baseRef: p.base.ref,
  url: p.html_url,
  createdAt: p.created_at,
  updatedAt: p.updated_at,
  mergedAt: p.merged_at,
  closedAt: p.closed_at,
});

/** Review state and checks of the open PRs that changed (the most recently updated first, bounded). */
async function fetchPullDetails(db: PGlite, repo: string, pulls: FetchedPull[], get: Get): Promise<void> {
  const open = pulls.filter((p) => p.state === 'open' || p.state === 'draft').slice(0, fetchLimits.pullDetails);
  for (const pull of open) {
    const reviews = await optional(get('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { pull_number: pull.number, per_page: perPage }));
    const status = await optional(get('GET /repos/{owner}/{repo}/commits/{ref}/status', { ref: pull.headSha }));
    await db.query('UPDATE github_pulls SET review_state = $3, checks = $4 WHERE repo = $1 AND number = $2', [
      repo,
      pull.number,
      reviews ? reviewState(reviews.data as { state: string; user: { login: string } | null }[]) : null,
      status ? checksState(status.data as { state: string; total_count?: number }) : null,
    ]);
  }
}

/** Each reviewer's latest decisive review counts: any change request wins, else any approval. */
export function reviewState(reviews: { state: string; user: { login: string } | null }[]): 'approved' | 'changes_requested' | 'review_required' {
  const latest = new Map<string, string>();
  for (const review of reviews) if (review.state === 'APPROVED' || review.state === 'CHANGES_REQUESTED') latest.set(review.user?.login ?? '', review.state);
  const states = [...latest.values()];
  return states.includes('CHANGES_REQUESTED') ? 'changes_requested' : states.includes('APPROVED') ? 'approved' : 'review_required';
}

/**
 * A detail the token may not be allowed to read (reviews, statuses: a fine-grained token without
 * that permission gets 404 or 403) is unknown rather than a failed sync.
 */
async function optional(request: Promise<Page>): Promise<Page | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof RequestError && (error.status === 404 || error.status === 403)) return null;
    throw error;
  }
}

const checksState = (status: { state: string; total_count?: number }): string | null =>
  status.total_count === 0 ? null : status.state === 'success' ? 'success' : status.state === 'pending' ? 'pending' : 'failure';

async function fetchRuns(db: PGlite, repo: string, get: Get): Promise<number> {
  const page = await get('GET /repos/{owner}/{repo}/actions/runs', { per_page: 30 });
  if (isHit(page)) return 0;
  const runs = (page.data as { workflow_runs: RunItem[] }).workflow_runs;
  await upsert(
    db,
    'github_runs',
    ['repo', 'id', 'name', 'event', 'status', 'conclusion', 'head_branch', 'head_sha', 'url', 'created_at'],
    ['text', 'int8', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'timestamptz'],
    ['repo', 'id'],
    runs.map((r) => [repo, r.id, r.name ?? r.display_title ?? 'Workflow run', r.event, r.status ?? 'queued', r.conclusion, r.head_branch, r.head_sha, r.html_url, r.created_at]),
  );
  return runs.length;
}

interface RunItem {
  id: number;
  name?: string | null;
  display_title?: string;
  event: string;
  status: string | null;
  conclusion: string | null;
  head_branch: string | null;
  head_sha: string;
  html_url: string;
  created_at: string;
}

const finalDeploymentStates = new Set(['success', 'failure', 'error', 'inactive']);

async function fetchDeployments(db: PGlite, repo: string, get: Get): Promise<number> {
  const page = await get('GET /repos/{owner}/{repo}/deployments', { per_page: 30 });
  const { rows } = await db.query<{ id: string; state: string | null }>('SELECT id::text, state FROM github_deployments WHERE repo = $1', [repo]);
  const stored = new Map(rows.map((r) => [Number(r.id), r.state]));
  const deployments = page.data as { id: number; environment: string; ref: string; sha: string; created_at: string }[];
  // A 304 still leaves deployments whose status may have moved on: their statuses are asked (each a 304 when unchanged).
  const unsettled = deployments.filter((d) => !finalDeploymentStates.has(stored.get(d.id) ?? '')).slice(0, fetchLimits.deploymentStatuses);
  const latest = new Map<number, { state: string; url: string | null }>();
  for (const deployment of unsettled) {
    const statuses = await optional(get('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { deployment_id: deployment.id, per_page: 1 }));
    const status = (statuses?.data as { state: string; environment_url?: string; log_url?: string; target_url?: string }[] | undefined)?.[0];
    if (status) latest.set(deployment.id, { state: status.state, url: status.environment_url || status.log_url || status.target_url || null });
  }
  const changed = deployments.filter((d) => !stored.has(d.id) || (latest.has(d.id) && latest.get(d.id)!.state !== stored.get(d.id)));
  await upsert(
    db,
    'github_deployments',
    ['repo', 'id', 'environment', 'ref', 'sha', 'state', 'url', 'created_at'],
    ['text', 'int8', 'text', 'text', 'text', 'text', 'text', 'timestamptz'],
    ['repo', 'id'],
    changed.map((d) => [repo, d.id, d.environment, d.ref, d.sha, latest.get(d.id)?.state ?? null, latest.get(d.id)?.url ?? null, d.created_at]),
  );
  return changed.length;
}

/** Rows inserted or replaced in one statement (one array per column). */
async function upsert(db: PGlite | Transaction, table: string, columns: string[], types: string[], keys: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const arrays = columns.map((_, i) => rows.map((row) => row[i]));
  const updates = columns.filter((c) => !keys.includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
  await db.query(
    `INSERT INTO ${table} (${columns.join(', ')})
     SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
     ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates.join(', ')}`,
    arrays,
  );
}
