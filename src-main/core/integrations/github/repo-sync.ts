/**
 * One repo's sync: fetch what changed (repo-fetch.ts, conditional requests into this replica's
 * cache), then — on the repo's sync-job runner only — link the tasks its branches, commits and
 * pull requests name, and move the tasks its pull requests close or open for (task-moves.ts).
 *
 * Keys are found with one matcher built per sync and resolved with one query for all texts.
 * Links and moves are written inside the workspace's mutation, after the network is done: a sync
 * never holds people's edits up while it waits for GitHub. Syncs of one session run one at a time,
 * so a sync's requests and quota are its own in the cache's counters.
 */
import type { GithubRepoSync } from '../../../contract';
import { ApiError } from '../../../contract';
import type { Origin } from '../../sync/origins';
import type { GithubSession } from './github-session';
import { githubError } from './octokit-errors';
import { fetchRepo, repoKey, type RepoChanges } from './repo-fetch';
import { ensureSyncJob, newSyncJobTiming, syncJobId } from './sync-job';
import { workspaceRoom } from '../../sync/rooms';
import { resolveTaskKeys, taskKeyMatcher, workspaceProjectKeys, type FoundTaskKey } from './task-keys';
import { writeTaskLinks, type TaskLink } from './task-links-doc';
import { makeMoves, type WantedMove } from './task-moves';

export interface RepoSyncRequest {
  workspaceId: string;
  /** `owner/name` as linked. */
  repo: string;
  /** Who writes links and moves (the job, or the person who pressed Sync now); null: only this replica's cache is refreshed. */
  writer: Origin | null;
  signal?: AbortSignal;
}

export function repoSyncer(session: GithubSession) {
  const { ctx } = session;
  let queue: Promise<unknown> = Promise.resolve();

  const syncOne = async (request: RepoSyncRequest): Promise<GithubRepoSync> => {
    const started = performance.now();
    const key = repoKey(request.repo);
    const outcome = (fields: Partial<GithubRepoSync>): GithubRepoSync => ({
      repo: request.repo,
      ok: true,
      error: null,
      requests: 0,
      notModified: 0,
      quotaSpent: 0,
      branches: 0,
      commits: 0,
      pulls: 0,
      runs: 0,
      deployments: 0,
      links: 0,
      moves: 0,
      ...fields,
      ms: Math.round(performance.now() - started),
    });
    let client;
    try {
      client = await session.connectedClient();
    } catch (error) {
      return outcome({ ok: false, error: error instanceof Error ? error.message : String(error) });
    }
    const before = client.cache.stats();
    const spent = () => {
      const after = client.cache.stats();
      return { requests: after.requestsSent - before.requestsSent, notModified: after.notModified - before.notModified, quotaSpent: after.quotaSpent - before.quotaSpent };
    };
    let changes: RepoChanges;
    try {
      changes = await fetchRepo(client.octokit, ctx.db, request.repo, request.signal);
    } catch (error) {
      const failure = request.signal?.aborted ? new ApiError('UNAVAILABLE', `Syncing ${request.repo} was stopped`) : githubError(error, `syncing ${request.repo}`, { baseUrl: client.connection.baseUrl });
      await ctx.db.query(
        `INSERT INTO github_repo_state (repo, full_name, html_url, error) VALUES ($1, $2, '', $3)
         ON CONFLICT (repo) DO UPDATE SET error = $3`,
        [key, request.repo, failure.message],
      );
      return outcome({ ok: false, error: failure.message, ...spent() });
    }
    await ctx.db.query('UPDATE github_repo_state SET synced_at = $2, error = NULL WHERE repo = $1', [key, new Date(ctx.now())]);
    const written = request.writer ? await linkAndMove(request.workspaceId, request.repo, changes, request.writer) : { links: 0, moves: 0 };
    return outcome({
      ...spent(),
      branches: changes.branches.length,
      commits: changes.commits.length,
      pulls: changes.pulls.length,
      runs: changes.runs,
      deployments: changes.deployments,
      ...written,
    });
  };

  /** The links and moves of what changed, written once per project inside the workspace's mutation. */
  const linkAndMove = async (workspaceId: string, repo: string, changes: RepoChanges, writer: Origin) => {
    // An unchanged repo (every 2 minutes, mostly) has no new text: no keys to read, no matcher to build.
    if (changes.branches.length + changes.commits.length + changes.pulls.length === 0) return { links: 0, moves: 0 };
    const matcher = taskKeyMatcher(await workspaceProjectKeys(ctx, workspaceId));
    type Mention = { kind: TaskLink['kind']; ref: string; title: string; url: string; state: string; found: FoundTaskKey[]; pull?: (typeof changes.pulls)[number] };
    const mentions: Mention[] = [];
    const webUrl = changes.htmlUrl;
    for (const branch of changes.branches) {
      const found = matcher.find(branch.name, 'branch');
      if (found.length) mentions.push({ kind: 'branch', ref: branch.name, title: branch.name, url: `${webUrl}/tree/${encodeURIComponent(branch.name)}`, state: branch.sha, found });
    }
    for (const commit of changes.commits) {
      const found = matcher.find(commit.message, 'text');
      if (found.length) mentions.push({ kind: 'commit', ref: commit.sha, title: commit.message.split('\n', 1)[0]!, url: commit.url, state: 'committed', found });
    }
    for (const pull of changes.pulls) {
      // Closing words count in the title and body; the branch only names the task.
      const inText = matcher.find(`${pull.title}\n${pull.body}`, 'text');
      const inBranch = matcher.find(pull.headRef, 'branch').filter((b) => !inText.some((t) => t.key === b.key));
      const found = [...inText, ...inBranch];
      if (found.length) mentions.push({ kind: 'pull', ref: String(pull.number), title: pull.title, url: pull.url, state: pull.state, found, pull });
    }
    if (mentions.length === 0) return { links: 0, moves: 0 };
    const resolved = new Map((await resolveTaskKeys(ctx, workspaceId, mentions.flatMap((m) => m.found))).map((r) => [r.key, r.tasks]));
    const links = new Map<string, TaskLink[]>();
    const moves: WantedMove[] = [];
    for (const mention of mentions) {
      for (const found of mention.found) {
        const holders = resolved.get(found.key) ?? [];
        for (const holder of holders) {
          const list = links.get(holder.projectId) ?? [];
          list.push({ taskId: holder.taskId, repo, kind: mention.kind, ref: mention.ref, title: mention.title, url: mention.url, state: mention.state });
          links.set(holder.projectId, list);
        }
        // A move needs one task for the key (a key two tasks had moves neither: task-keys.ts).
        const only = holders.length === 1 ? holders[0]! : null;
        const pull = mention.pull;
        if (!only || !pull) continue;
        const target = { taskId: only.taskId, projectId: only.projectId, repo, pull: { number: pull.number, title: pull.title, url: pull.url } };
        if (pull.state === 'merged' && found.closing) moves.push({ ...target, rule: 'onMerge' });
        if (pull.state === 'open') moves.push({ ...target, rule: 'onOpen' });
      }
    }
    return ctx.mutate(workspaceId, async () => {
      let linkCount = 0;
      for (const [projectId, list] of links) linkCount += await writeTaskLinks(ctx, workspaceId, projectId, writer, list);
      return { links: linkCount, moves: await makeMoves(ctx, workspaceId, writer, moves) };
    });
  };

  return {
    /** Syncs one repo; failures are in the outcome (`ok: false`, GitHub's message), not thrown. */
    sync(request: RepoSyncRequest): Promise<GithubRepoSync> {
      const run = queue.then(() => syncOne(request));
      queue = run.catch(() => undefined);
      return run;
    },
    /**
     * Whether this replica runs the repo's sync job (and so writes its links and moves). A repo
     * linked before links made jobs has none: it is made now, run here (by someone who may link).
     */
    async isRunner(workspaceId: string, projectId: string, repo: string, origin: Origin): Promise<boolean> {
      const id = syncJobId(workspaceId, repo);
      const runnerOf = async () => (await ctx.db.query<{ runner: string }>('SELECT runner FROM jobs WHERE id = $1 AND deleted_at IS NULL', [id])).rows[0]?.runner;
      let runner = await runnerOf();
      if (runner === undefined && session.canWrite(workspaceId)) {
        const timing = newSyncJobTiming(session.deps.replica, session.deps.clock());
        await ctx.mutate(workspaceId, () => ctx.docs.write(workspaceRoom(workspaceId), origin, (doc) => ensureSyncJob(doc, { workspaceId, projectId, repo, now: ctx.now(), ...timing })));
        runner = await runnerOf();
      }
      return runner === session.deps.replica;
    },
  };
}

export type RepoSyncer = ReturnType<typeof repoSyncer>;
