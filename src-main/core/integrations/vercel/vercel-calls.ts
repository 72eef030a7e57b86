/**
 * Each Vercel endpoint Groundwork uses, once, with its version (see README.md "Endpoints"): the
 * list of deployments is v7 as `@vercel/sdk` 1.28.35 calls it (v6 in the 2025-10 description answers
 * the same shape), rollback is v1 as the SDK's `requestRollback` (it is not in the published
 * description; the CLI uses v9 with the same empty body).
 */
import { ApiError, type VercelDeployment } from '../../../contract';
import type { VercelClient } from './vercel-client';
import { toBuildEvent, toDeployment, type VercelDeploymentBody, type VercelEventBody, type VercelProjectBody, type VercelUserBody } from './vercel-bodies';

const seg = encodeURIComponent;

export async function getUser(client: VercelClient, tokenField?: string): Promise<VercelUserBody['user']> {
  return (await client.get<VercelUserBody>('/v2/user', {}, { doing: 'checking the token', tokenField })).user;
}

/**
 * Pages of 100 read at most: 2,000 projects, more than a picker can show, and a bound on an answer
 * that keeps giving `next` (20 requests at worst).
 */
export const maxProjectPages = 20;

/**
 * The account's projects, newest first, every page: GET /v10/projects answers up to 100 and a
 * `pagination.next` (a continuation token, or a timestamp in the older form) that `from` takes to
 * read on. `pages: 1` reads only the first (a check that a call for the team is allowed).
 */
export async function listProjects(client: VercelClient, options: { tokenField?: string; pages?: number } = {}): Promise<VercelProjectBody[]> {
  const projects: VercelProjectBody[] = [];
  let from: string | undefined;
  for (let page = 0; page < (options.pages ?? maxProjectPages); page++) {
    const body = await client.get<{ projects: VercelProjectBody[]; pagination?: { next?: string | number | null } } | VercelProjectBody[]>(
      '/v10/projects',
      { limit: 100, from },
      { doing: 'listing projects', tokenField: options.tokenField },
    );
    if (Array.isArray(body)) return [...projects, ...body];
    projects.push(...body.projects);
    const next = body.pagination?.next;
    // No next, or one that would read the same page again: the list is complete.
    if (next === null || next === undefined || String(next) === from || body.projects.length === 0) break;
    from = String(next);
  }
  return projects;
}

export function getProject(client: VercelClient, id: string, field = 'vercelProjectId'): Promise<VercelProjectBody> {
  return client.get<VercelProjectBody>(`/v9/projects/${seg(id)}`, {}, { doing: `reading the Vercel project ${id}`, notFound: { field, what: `project ${id}` } });
}

export async function listDeployments(client: VercelClient, vercelProjectId: string, target?: 'production' | 'preview'): Promise<VercelDeployment[]> {
  const body = await client.get<{ deployments: VercelDeploymentBody[] }>(
    '/v7/deployments',
    { projectId: vercelProjectId, target, limit: 50 },
    { doing: 'listing deployments', notFound: { field: 'projectId', what: `project ${vercelProjectId} (the linked Vercel project)` } },
  );
  // Vercel's `target` null is a preview: filter here too, so the answer means what was asked.
  return body.deployments.map(toDeployment).filter((d) => !target || d.target === target);
}

export async function getDeployment(client: VercelClient, id: string, field = 'id'): Promise<VercelDeployment> {
  return toDeployment(await client.get<VercelDeploymentBody>(`/v13/deployments/${seg(id)}`, {}, { doing: `reading the deployment ${id}`, notFound: { field, what: `deployment ${id}` } }));
}

/** The build log (all of it, or from `since` epoch ms on), oldest first. */
export async function getBuildEvents(client: VercelClient, id: string, since?: number) {
  const lines = await client.getLines<VercelEventBody>(
    `/v3/deployments/${seg(id)}/events`,
    { direction: 'forward', limit: -1, since },
    { doing: `reading the build log of ${id}`, notFound: { field: 'deploymentId', what: `deployment ${id}` } },
  );
  return lines.map(toBuildEvent);
}

/** A deployment of the project's git repo at `ref` (a branch, or a commit sha on the production branch). */
export async function createDeployment(client: VercelClient, project: VercelProjectBody, ref: string): Promise<VercelDeployment> {
  const link = project.link;
  if (!link?.repoId) {
    throw new ApiError('VALIDATION', `projectId: the Vercel project ${project.name} is not connected to a git repository: connect one in Vercel's project settings to deploy from a ref.`, { field: 'projectId' });
  }
  const isSha = /^[0-9a-f]{40}$/i.test(ref);
  const gitSource = isSha ? { type: link.type ?? 'github', repoId: link.repoId, ref: link.productionBranch ?? 'main', sha: ref } : { type: link.type ?? 'github', repoId: link.repoId, ref };
  const { body } = await client.post<VercelDeploymentBody>('/v13/deployments', {}, { name: project.name, project: project.id, gitSource }, { doing: `deploying ${ref}`, notFound: { field: 'ref', what: `ref ${ref} in the linked repository` } });
  return toDeployment(body);
}

/** POST …/promote: 201 done, 202 queued behind a rolling release. */
export async function requestPromote(client: VercelClient, vercelProjectId: string, deploymentId: string): Promise<{ queued: boolean }> {
  const { status } = await client.post<unknown>(`/v10/projects/${seg(vercelProjectId)}/promote/${seg(deploymentId)}`, {}, {}, { doing: `promoting ${deploymentId}`, notFound: { field: 'deploymentId', what: `deployment ${deploymentId}` } });
  return { queued: status === 202 };
}

export async function requestRollback(client: VercelClient, vercelProjectId: string, deploymentId: string, description?: string): Promise<void> {
  await client.post<unknown>(
    `/v1/projects/${seg(vercelProjectId)}/rollback/${seg(deploymentId)}`,
    description ? { description } : {},
    {},
    { doing: `rolling production back to ${deploymentId}`, notFound: { field: 'deploymentId', what: `deployment ${deploymentId}` } },
  );
}
