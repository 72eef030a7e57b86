/**
 * Reads of this replica's GitHub cache (repo-fetch.ts writes it) joined with the shared task links
 * (`github_task_links`): the repo view and a task's code. An item's tasks come from the links, so
 * every teammate sees the same tasks for a PR whatever they fetched themselves; its live state
 * (review, checks, merged) comes from this replica's cache when it has the item, else from the
 * link as its writer last saw it.
 */
import type { PGlite } from '@electric-sql/pglite';
import type {
  GithubBranch,
  GithubChecksState,
  GithubCommit,
  GithubDeployment,
  GithubPull,
  GithubPullState,
  GithubRepoView,
  GithubReviewState,
  GithubTaskLinks,
  GithubWorkflowRun,
} from '../../../contract';
import { repoKey } from './repo-fetch';

/** How much of each list the repo view shows. */
const viewLimits = { branches: 200, commits: 50, pulls: 100, runs: 30, deployments: 30 };
/** After the open pull requests, this many of the most recently closed or merged. */
const recentlyClosed = 20;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// The tasks an item names, by the shared links of its repo: `kind` and `ref` as task-links-doc.ts writes them.
const taskIdsOf = (kind: string, ref: string) => `COALESCE((
  SELECT json_agg(DISTINCT l.task_id) FROM github_task_links l
  WHERE lower(l.repo) = $1 AND l.kind = '${kind}' AND l.ref = ${ref} AND l.deleted_at IS NULL AND l.task_id IS NOT NULL), '[]')`;

const pullColumns = `$2::text AS repo, number, title, state, author, head_ref, base_ref, url, review_state, checks, created_at, updated_at, merged_at,
  ${taskIdsOf('pull', 'p.number::text')} AS task_ids`;

interface PullRow {
  repo: string;
  number: number;
  title: string;
  state: GithubPullState;
  author: string | null;
  head_ref: string;
  base_ref: string;
  url: string;
  review_state: GithubReviewState;
  checks: GithubChecksState;
  created_at: Date;
  updated_at: Date;
  merged_at: Date | null;
  task_ids: string[];
}
const toPull = (r: PullRow): GithubPull => ({
  repo: r.repo,
  number: r.number,
  title: r.title,
  state: r.state,
  author: r.author,
  headRef: r.head_ref,
  baseRef: r.base_ref,
  url: r.url,
  reviewState: r.review_state,
  checks: r.checks,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  mergedAt: iso(r.merged_at),
  taskIds: r.task_ids,
});

interface CommitRow {
  repo: string;
  sha: string;
  message: string;
  author: string | null;
  committed_at: Date | null;
  url: string;
  task_ids: string[];
}
const toCommit = (r: CommitRow): GithubCommit => ({ repo: r.repo, sha: r.sha, message: r.message, author: r.author, committedAt: iso(r.committed_at), url: r.url, taskIds: r.task_ids });

export async function readRepoView(db: PGlite, repo: string): Promise<GithubRepoView> {
  const key = repoKey(repo);
  const [state, branches, commits, pulls, runs, deployments] = await Promise.all([
    db.query<{ full_name: string; html_url: string; default_branch: string | null; synced_at: Date | null; error: string | null }>(
      'SELECT full_name, html_url, default_branch, synced_at, error FROM github_repo_state WHERE repo = $1',
      [key],
    ),
    db.query<{ name: string; sha: string; task_ids: string[] }>(
      `SELECT name, sha, ${taskIdsOf('branch', 'b.name')} AS task_ids FROM github_branches b WHERE b.repo = $1 ORDER BY name LIMIT ${viewLimits.branches}`,
      [key],
    ),
    db.query<CommitRow>(
      `SELECT $2::text AS repo, sha, message, author, committed_at, url, ${taskIdsOf('commit', 'c.sha')} AS task_ids
       FROM github_commits c WHERE c.repo = $1 ORDER BY committed_at DESC NULLS LAST, sha LIMIT ${viewLimits.commits}`,
      [key, repo],
    ),
    db.query<PullRow>(
      `SELECT * FROM (
         (SELECT ${pullColumns} FROM github_pulls p WHERE p.repo = $1 AND p.state IN ('open', 'draft') ORDER BY updated_at DESC LIMIT ${viewLimits.pulls})
         UNION ALL
         (SELECT ${pullColumns} FROM github_pulls p WHERE p.repo = $1 AND p.state IN ('merged', 'closed') ORDER BY updated_at DESC LIMIT ${recentlyClosed})
       ) pulls ORDER BY state IN ('open', 'draft') DESC, updated_at DESC`,
      [key, repo],
    ),
    db.query<{ id: string; name: string; event: string; status: string; conclusion: string | null; head_branch: string | null; head_sha: string; url: string; created_at: Date; task_ids: string[] }>(
      `SELECT id::text, name, event, status, conclusion, head_branch, head_sha, url, created_at,
              CASE WHEN r.head_branch IS NULL THEN '[]'::json ELSE ${taskIdsOf('branch', 'r.head_branch')} END AS task_ids
       FROM github_runs r WHERE r.repo = $1 ORDER BY created_at DESC LIMIT ${viewLimits.runs}`,
      [key],
    ),
    db.query<{ id: string; environment: string; ref: string; sha: string; state: string | null; url: string | null; created_at: Date; task_ids: string[] }>(
      `SELECT id::text, environment, ref, sha, state, url, created_at, ${taskIdsOf('branch', 'd.ref')} AS task_ids
       FROM github_deployments d WHERE d.repo = $1 ORDER BY created_at DESC LIMIT ${viewLimits.deployments}`,
      [key],
    ),
  ]);
  const meta = state.rows[0];
  const htmlUrl = meta?.html_url || '';
  return {
    repo: meta?.full_name ?? repo,
    htmlUrl,
    defaultBranch: meta?.default_branch ?? null,
    syncedAt: iso(meta?.synced_at ?? null),
    error: meta?.error ?? null,
    branches: branches.rows.map((b): GithubBranch => ({ repo, name: b.name, sha: b.sha, url: `${htmlUrl}/tree/${encodeURIComponent(b.name)}`, taskIds: b.task_ids })),
    commits: commits.rows.map(toCommit),
    pulls: pulls.rows.map(toPull),
    runs: runs.rows.map(
      (r): GithubWorkflowRun => ({
        repo,
        id: Number(r.id),
        name: r.name,
        event: r.event,
        status: r.status,
        conclusion: r.conclusion,
        headBranch: r.head_branch,
        headSha: r.head_sha,
        url: r.url,
        createdAt: r.created_at.toISOString(),
        taskIds: r.task_ids,
      }),
    ),
    deployments: deployments.rows.map(
      (d): GithubDeployment => ({ repo, id: Number(d.id), environment: d.environment, ref: d.ref, sha: d.sha, state: d.state, url: d.url, createdAt: d.created_at.toISOString(), taskIds: d.task_ids }),
    ),
  };
}

interface LinkRow {
  repo: string;
  kind: 'branch' | 'commit' | 'pull' | 'issue';
  ref: string;
  title: string;
  url: string;
  state: string;
  updated_at: Date;
  // From this replica's cache, when it has the item.
  sha: string | null;
  message: string | null;
  author: string | null;
  committed_at: Date | null;
  p_state: GithubPullState | null;
  p_author: string | null;
  head_ref: string | null;
  base_ref: string | null;
  review_state: GithubReviewState;
  checks: GithubChecksState;
  created_at: Date | null;
  p_updated_at: Date | null;
  merged_at: Date | null;
}

/** A task's links, with the live state this replica's cache has of each (moves are added by the caller). */
export async function readTaskLinks(db: PGlite, taskId: string): Promise<Omit<GithubTaskLinks, 'moves'>> {
  const { rows } = await db.query<LinkRow>(
    `SELECT l.repo, l.kind, l.ref, l.title, l.url, l.state, l.updated_at,
            b.sha, c.message, c.author AS author, c.committed_at,
            p.state AS p_state, p.author AS p_author, p.head_ref, p.base_ref, p.review_state, p.checks, p.created_at, p.updated_at AS p_updated_at, p.merged_at
     FROM github_task_links l
     LEFT JOIN github_branches b ON l.kind = 'branch' AND b.repo = lower(l.repo) AND b.name = l.ref
     LEFT JOIN github_commits c ON l.kind = 'commit' AND c.repo = lower(l.repo) AND c.sha = l.ref
     LEFT JOIN github_pulls p ON l.kind = 'pull' AND p.repo = lower(l.repo) AND p.number::text = l.ref
     WHERE l.task_id = $1 AND l.deleted_at IS NULL
     ORDER BY l.updated_at DESC, l.id`,
    [taskId],
  );
  const links: Omit<GithubTaskLinks, 'moves'> = { taskId, branches: [], commits: [], pulls: [], issues: [] };
  for (const r of rows) {
    if (r.kind === 'branch') links.branches.push({ repo: r.repo, name: r.ref, sha: r.sha ?? r.state, url: r.url, taskIds: [taskId] });
    else if (r.kind === 'commit') {
      links.commits.push({ repo: r.repo, sha: r.ref, message: r.message ?? r.title, author: r.author, committedAt: iso(r.committed_at), url: r.url, taskIds: [taskId] });
    } else if (r.kind === 'pull') {
      links.pulls.push({
        repo: r.repo,
        number: Number(r.ref),
        title: r.title,
        state: r.p_state ?? (r.state as GithubPullState),
        author: r.p_author,
        headRef: r.head_ref ?? '',
        baseRef: r.base_ref ?? '',
        url: r.url,
        reviewState: r.review_state,
        checks: r.checks,
        createdAt: (r.created_at ?? r.updated_at).toISOString(),
        updatedAt: (r.p_updated_at ?? r.updated_at).toISOString(),
        mergedAt: iso(r.merged_at),
        taskIds: [taskId],
      });
    } else links.issues.push({ repo: r.repo, number: Number(r.ref), title: r.title, url: r.url, state: r.state });
  }
  return links;
}
