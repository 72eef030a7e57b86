/**
 * Branches, commits, pull requests, workflow runs, deployments and issues as the one row shape
 * the code lists show (`code-list.tsx`): a title, state chips in words, a few facts, the tasks it
 * mentions and its page on GitHub. One mapping per kind, one list for all of them.
 */
import type { GithubBranch, GithubCommit, GithubDeployment, GithubPull, GithubTaskLinks, GithubWorkflowRun } from '../../../src-main/contract';
import { formatAgo } from '../../components/format';
import type { Tone } from './state-chip';

export interface CodeRow {
  id: string;
  /** Before the title, quieter: a PR's `#12`, a commit's short sha. */
  prefix?: string;
  title: string;
  chips: { tone: Tone; label: string }[];
  facts: string[];
  url: string | null;
  taskIds: readonly string[];
}

type Issue = GithubTaskLinks['issues'][number];

const shortSha = (sha: string) => sha.slice(0, 7);
const present = (...facts: (string | null | undefined | false)[]) => facts.filter((f): f is string => Boolean(f));

const pullStates: Record<GithubPull['state'], { tone: Tone; label: string }> = {
  draft: { tone: 'plain', label: 'Draft' },
  open: { tone: 'busy', label: 'Open' },
  merged: { tone: 'good', label: 'Merged' },
  closed: { tone: 'warn', label: 'Closed' },
};
const reviewStates: Record<NonNullable<GithubPull['reviewState']>, { tone: Tone; label: string }> = {
  approved: { tone: 'good', label: 'Approved' },
  changes_requested: { tone: 'warn', label: 'Changes requested' },
  review_required: { tone: 'plain', label: 'Review required' },
};
const checkStates: Record<NonNullable<GithubPull['checks']>, { tone: Tone; label: string }> = {
  success: { tone: 'good', label: 'Checks passed' },
  failure: { tone: 'bad', label: 'Checks failed' },
  pending: { tone: 'busy', label: 'Checks running' },
};

/** GitHub's words for a run's or deployment's state (`in_progress`, `success`…), with a tone. */
export function outcomeChip(state: string | null): { tone: Tone; label: string } {
  if (!state) return { tone: 'plain', label: 'No status yet' };
  const label = state.charAt(0).toUpperCase() + state.slice(1).replaceAll('_', ' ');
  if (state === 'success' || state === 'completed') return { tone: 'good', label };
  if (state === 'failure' || state === 'error' || state === 'timed_out' || state === 'startup_failure') return { tone: 'bad', label };
  if (state === 'cancelled' || state === 'action_required' || state === 'stale') return { tone: 'warn', label };
  if (state === 'queued' || state === 'in_progress' || state === 'pending' || state === 'waiting' || state === 'requested') return { tone: 'busy', label };
  return { tone: 'plain', label };
}

export const branchRow = (b: GithubBranch): CodeRow => ({
  id: `${b.repo}:branch:${b.name}`,
  title: b.name,
  chips: [],
  facts: [shortSha(b.sha)],
  url: b.url,
  taskIds: b.taskIds,
});

export const commitRow = (c: GithubCommit, now: number): CodeRow => ({
  id: `${c.repo}:commit:${c.sha}`,
  prefix: shortSha(c.sha),
  title: c.message.split('\n', 1)[0] ?? '',
  chips: [],
  facts: present(c.author, c.committedAt && formatAgo(c.committedAt, now)),
  url: c.url,
  taskIds: c.taskIds,
});

export const pullRow = (p: GithubPull, now: number): CodeRow => ({
  id: `${p.repo}:pull:${p.number}`,
  prefix: `#${p.number}`,
  title: p.title,
  chips: [pullStates[p.state], ...(p.reviewState ? [reviewStates[p.reviewState]] : []), ...(p.checks ? [checkStates[p.checks]] : [])],
  facts: present(p.author, `${p.headRef} → ${p.baseRef}`, `updated ${formatAgo(p.updatedAt, now)}`),
  url: p.url,
  taskIds: p.taskIds,
});

export const runRow = (r: GithubWorkflowRun, now: number): CodeRow => ({
  id: `${r.repo}:run:${r.id}`,
  title: r.name,
  chips: [outcomeChip(r.status === 'completed' ? r.conclusion : r.status)],
  facts: present(r.event, r.headBranch, formatAgo(r.createdAt, now)),
  url: r.url,
  taskIds: r.taskIds,
});

export const deploymentRow = (d: GithubDeployment, now: number): CodeRow => ({
  id: `${d.repo}:deployment:${d.id}`,
  title: d.environment,
  chips: [outcomeChip(d.state)],
  // A deployment of a sha names it as its ref: once is enough.
  facts: present(d.ref === d.sha ? shortSha(d.sha) : d.ref, d.ref === d.sha ? null : shortSha(d.sha), formatAgo(d.createdAt, now)),
  url: d.url,
  taskIds: d.taskIds,
});

export const issueRow = (i: Issue): CodeRow => ({
  id: `${i.repo}:issue:${i.number}`,
  prefix: `#${i.number}`,
  title: i.title,
  chips: [i.state === 'open' ? { tone: 'busy', label: 'Open' } : { tone: 'plain', label: i.state.charAt(0).toUpperCase() + i.state.slice(1) }],
  facts: [i.repo],
  url: i.url,
  taskIds: [],
});
