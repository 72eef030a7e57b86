/**
 * The parts of Vercel's answers Groundwork reads (field names as in Vercel's OpenAPI description and
 * `@vercel/sdk`'s models, which the tests check every served body against), and how they become
 * the contract's models.
 */
import type { VercelBuildEvent, VercelDeployment, VercelDeploymentState } from '../../../contract';

/** GET /v2/user → `user`. */
export interface VercelUserBody {
  user: { id: string; username: string; name?: string | null; email: string };
}

/** A project of GET /v10/projects or GET /v9/projects/{id}. */
export interface VercelProjectBody {
  id: string;
  name: string;
  framework?: string | null;
  link?: { type?: string; org?: string; repo?: string; repoId?: number; productionBranch?: string } | null;
  /** `targets.production.id`: the deployment production serves now. */
  targets?: Record<string, { id: string } | null>;
}

/** A deployment of GET /v7|v6/deployments (`uid`, `state`/`readyState`, `created`) or GET/POST /v13/deployments (`id`, `readyState`, `createdAt`). */
export interface VercelDeploymentBody {
  uid?: string;
  id?: string;
  url: string;
  projectId?: string;
  project?: { id: string };
  state?: string;
  readyState?: string;
  target?: string | null;
  created?: number;
  createdAt?: number;
  ready?: number;
  errorMessage?: string | null;
  creator: { uid: string; username?: string };
  meta?: Record<string, string>;
  gitSource?: { ref?: string | null; sha?: string | null } | null;
}

/** A build log line: GET /v3/deployments/{id}/events (`payload.text`; older lines carry `text`). */
export interface VercelEventBody {
  type: string;
  created: number;
  text?: string;
  payload?: { text?: string; info?: { type?: string } };
}

/** Vercel's readyState in the contract's four words: anything not yet final is `building`. */
export function deploymentState(body: Pick<VercelDeploymentBody, 'state' | 'readyState'>): VercelDeploymentState {
  switch (body.readyState ?? body.state) {
    case 'READY':
      return 'ready';
    case 'ERROR':
      return 'error';
    case 'CANCELED':
    case 'DELETED':
      return 'canceled';
    default:
      return 'building';
  }
}

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

export function toDeployment(body: VercelDeploymentBody): VercelDeployment {
  const meta = body.meta ?? {};
  return {
    id: body.uid ?? body.id ?? '',
    url: body.url.startsWith('http') ? body.url : `https://${body.url}`,
    vercelProjectId: body.projectId ?? body.project?.id ?? '',
    state: deploymentState(body),
    target: body.target === 'production' ? 'production' : 'preview',
    ref: meta.githubCommitRef ?? meta.gitlabCommitRef ?? meta.bitbucketCommitRef ?? body.gitSource?.ref ?? null,
    commitSha: meta.githubCommitSha ?? meta.gitlabCommitSha ?? meta.bitbucketCommitSha ?? body.gitSource?.sha ?? null,
    commitMessage: meta.githubCommitMessage ?? meta.gitlabCommitMessage ?? meta.bitbucketCommitMessage ?? null,
    creator: body.creator.username ?? body.creator.uid,
    createdAt: iso(body.createdAt ?? body.created) ?? new Date(0).toISOString(),
    readyAt: iso(body.ready),
    errorMessage: body.errorMessage ?? null,
    servesProduction: null,
  };
}

/** Whether a log line reports a failure: stderr, or a line saying error (a build's `Error: …`). */
const errorText = /(^|\W)(error|failed)(\W|$)/i;

export function toBuildEvent(body: VercelEventBody): VercelBuildEvent {
  const text = body.payload?.text ?? body.text ?? '';
  return { type: body.type, createdAt: new Date(body.created).toISOString(), text, isError: body.type === 'stderr' || errorText.test(text) };
}
