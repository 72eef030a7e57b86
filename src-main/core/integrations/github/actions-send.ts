/**
 * What each kind of GitHub action sends, and how GitHub is asked whether an earlier attempt's
 * request already took effect (the exactly-once rule, README.md "Actions and their queue").
 *
 * `prepare` makes only harmless reads (the base branch's sha); `send` makes the ONE request that
 * changes GitHub; `findEffect` looks for that change, made by this action, since `sendingSince`.
 */
import type { Octokit } from 'octokit';
import { RequestError } from 'octokit';
import { ApiError, type GithubActionKind } from '../../../contract';
import type { StoredAction } from './action-queue.repo';
import { githubWebUrl } from './octokit-client';

export type ActionResult = { url: string | null; number?: number; ref?: string; id?: number };

export interface SendContext {
  octokit: Octokit;
  baseUrl: string;
  /** Aborts requests when the core closes (the action then stays `sending`, checked at the next start). */
  signal: AbortSignal;
}

export interface ActionKindSend {
  /** What the action does, in words, for GitHub's failures ("creating the branch x in o/r"). */
  doing(action: StoredAction): string;
  /** Reads what the request needs; kept in the row before the request goes out (the effect check compares with it). */
  prepare?(github: SendContext, action: StoredAction): Promise<Record<string, unknown>>;
  send(github: SendContext, action: StoredAction, prepared: Record<string, unknown> | null): Promise<ActionResult>;
  /** This action's effect on GitHub, if an earlier request made it; null when GitHub shows none. */
  findEffect(github: SendContext, action: StoredAction): Promise<ActionResult | null>;
}

/** The marker in an issue's body (an HTML comment: GitHub does not show it) that names the action. */
export const actionMarker = (actionId: string) => `<!-- groundwork-action: ${actionId} -->`;

/** The key in a deployment's payload naming the action that made it. */
export const deploymentPayloadKey = 'groundworkActionId';

const ownerRepo = (repo: string) => {
  const [owner, name] = repo.split('/') as [string, string];
  return { owner, repo: name };
};

/** A ref's path with each part escaped but its slashes kept (`heads/ana/web-1` stays a path). */
const refPath = (ref: string) => ref.split('/').map(encodeURIComponent).join('/');

const webUrl = (github: SendContext, repo: string, rest: string) => `${githubWebUrl(github.baseUrl)}/${repo}/${rest}`;

/** GitHub's date filter wants whole seconds (`>=2026-01-02T03:04:05Z`). */
const githubDate = (iso: string) => `${iso.slice(0, 19)}Z`;

const isNotFound = (error: unknown) => error instanceof RequestError && error.status === 404;

async function getRefSha(github: SendContext, repo: string, ref: string): Promise<{ sha: string; type: string } | null> {
  try {
    const { data } = await github.octokit.request(`GET /repos/{owner}/{repo}/git/ref/${refPath(ref)}`, { ...ownerRepo(repo), request: { signal: github.signal } });
    const object = (data as { object: { sha: string; type: string } }).object;
    return { sha: object.sha, type: object.type };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

const branch: ActionKindSend = {
  doing: (action) => `creating the branch ${String(action.input.branch)} in ${action.repo}`,
  async prepare(github, action) {
    const from = typeof action.input.from === 'string' ? action.input.from : null;
    const base = from ?? (await github.octokit.request('GET /repos/{owner}/{repo}', { ...ownerRepo(action.repo), request: { signal: github.signal } })).data.default_branch;
    if (/^[0-9a-f]{40}$/i.test(base)) return { base, sha: base.toLowerCase() };
    const found = (await getRefSha(github, action.repo, `heads/${base}`)) ?? (await getRefSha(github, action.repo, `tags/${base}`));
    if (!found) {
      throw new ApiError('NOT_FOUND', `from: ${action.repo} has no branch or tag named ${base}: give an existing branch, tag or commit sha.`, { field: 'from', status: 404 });
    }
    if (found.type !== 'tag') return { base, sha: found.sha };
    // An annotated tag's ref points at the tag object: a branch must point at its commit.
    const { data } = await github.octokit.request('GET /repos/{owner}/{repo}/git/tags/{tag_sha}', { ...ownerRepo(action.repo), tag_sha: found.sha, request: { signal: github.signal } });
    return { base, sha: data.object.sha };
  },
  async send(github, action, prepared) {
    const name = String(action.input.branch);
    await github.octokit.request('POST /repos/{owner}/{repo}/git/refs', { ...ownerRepo(action.repo), ref: `refs/heads/${name}`, sha: String(prepared?.sha), request: { signal: github.signal } });
    return { url: webUrl(github, action.repo, `tree/${refPath(name)}`), ref: name };
  },
  // The branch exists at the sha this action was about to point it at: that is its effect. At
  // another sha it is someone else's (or moved since): not ours to claim, and sending again gets
  // GitHub's own "Reference already exists".
  async findEffect(github, action) {
    const name = String(action.input.branch);
    const sha = action.prepared?.sha;
    if (typeof sha !== 'string') return null;
    const found = await getRefSha(github, action.repo, `heads/${name}`);
    return found?.sha === sha ? { url: webUrl(github, action.repo, `tree/${refPath(name)}`), ref: name } : null;
  },
};

const issue: ActionKindSend = {
  doing: (action) => `creating an issue in ${action.repo}`,
  async send(github, action) {
    const { data } = await github.octokit.request('POST /repos/{owner}/{repo}/issues', {
      ...ownerRepo(action.repo),
      title: String(action.input.title),
      body: String(action.input.body),
      request: { signal: github.signal },
    });
    return { url: data.html_url, number: data.number };
  },
  // Issues this login created (or changed) since the send, looking for the action's marker in a body.
  async findEffect(github, action) {
    if (!action.sentBy || !action.sendingSince) return null;
    // One page: issues this login made or touched since the send are few (GitHub lists newest first).
    const { data: issues } = await github.octokit.request('GET /repos/{owner}/{repo}/issues', {
      ...ownerRepo(action.repo),
      creator: action.sentBy,
      since: action.sendingSince,
      state: 'all',
      per_page: 100,
      request: { signal: github.signal },
    });
    const marker = actionMarker(action.id);
    const made = issues.find((found) => !found.pull_request && (found.body ?? '').includes(marker));
    return made ? { url: made.html_url, number: made.number } : null;
  },
};

const workflowUrl = (github: SendContext, action: StoredAction) => {
  const workflow = String(action.input.workflow);
  // GitHub's pages name a workflow by its file; a numeric id has no page of its own.
  return webUrl(github, action.repo, /^\d+$/.test(workflow) ? 'actions' : `actions/workflows/${encodeURIComponent(workflow)}`);
};

const workflow: ActionKindSend = {
  doing: (action) => `running the workflow ${String(action.input.workflow)} on ${String(action.input.ref)} in ${action.repo}`,
  async send(github, action) {
    await github.octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      ...ownerRepo(action.repo),
      workflow_id: String(action.input.workflow),
      ref: String(action.input.ref),
      inputs: (action.input.inputs ?? {}) as Record<string, string>,
      request: { signal: github.signal },
    });
    return { url: workflowUrl(github, action), ref: String(action.input.ref) };
  },
  // A dispatch answers 204 with no id, so the best evidence is a run of that workflow, by the
  // `workflow_dispatch` event, on that ref, by this login, created since the send. Limits: a run
  // can take some seconds to be listed, and the same person dispatching the same workflow on the
  // same ref from elsewhere in that window looks the same.
  async findEffect(github, action) {
    if (!action.sentBy || !action.sendingSince) return null;
    const { data } = await github.octokit.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
      ...ownerRepo(action.repo),
      workflow_id: String(action.input.workflow),
      event: 'workflow_dispatch',
      branch: String(action.input.ref),
      actor: action.sentBy,
      created: `>=${githubDate(action.sendingSince)}`,
      per_page: 1,
      request: { signal: github.signal },
    });
    const run = data.workflow_runs[0];
    return run ? { url: run.html_url, id: Number(run.id), ref: String(action.input.ref) } : null;
  },
};

const deploymentsUrl = (github: SendContext, action: StoredAction) =>
  webUrl(github, action.repo, `deployments/${encodeURIComponent(String(action.input.environment))}`);

const deployment: ActionKindSend = {
  doing: (action) => `creating a deployment of ${String(action.input.ref)} to ${String(action.input.environment)} in ${action.repo}`,
  async send(github, action) {
    const { data, status } = await github.octokit.request('POST /repos/{owner}/{repo}/deployments', {
      ...ownerRepo(action.repo),
      ref: String(action.input.ref),
      environment: String(action.input.environment),
      ...(typeof action.input.description === 'string' ? { description: action.input.description } : {}),
      // Never merge the default branch into `ref` on GitHub's side: a deploy button must not
      // write commits. `required_contexts` is left out on purpose: GitHub then checks that the
      // ref's commit statuses pass, and refuses (409) to deploy a failing commit.
      auto_merge: false,
      payload: { [deploymentPayloadKey]: action.id },
      request: { signal: github.signal },
    });
    if (status !== 201 || !('id' in data)) {
      // 202: GitHub merged instead of deploying (only with auto_merge, which is off): not a deployment.
      const said = 'message' in data ? String(data.message) : `answer ${status}`;
      throw new ApiError('CONFLICT', `GitHub did not create the deployment (${said}).`, { status, githubMessage: said });
    }
    return { url: deploymentsUrl(github, action), id: Number(data.id), ref: String(action.input.ref) };
  },
  async findEffect(github, action) {
    // One page: deployments of this ref to this environment, newest first; ours, if made, is recent.
    const { data: deployments } = await github.octokit.request('GET /repos/{owner}/{repo}/deployments', {
      ...ownerRepo(action.repo),
      ref: String(action.input.ref),
      environment: String(action.input.environment),
      per_page: 100,
      request: { signal: github.signal },
    });
    const made = deployments.find((found) => {
      // Older API versions return the payload as JSON text.
      const payload = typeof found.payload === 'string' ? (JSON.parse(found.payload || '{}') as Record<string, unknown>) : found.payload;
      return payload[deploymentPayloadKey] === action.id;
    });
    return made ? { url: deploymentsUrl(github, action), id: Number(made.id), ref: String(action.input.ref) } : null;
  },
};

export const actionKinds: Record<GithubActionKind, ActionKindSend> = { branch, issue, workflow, deployment };
