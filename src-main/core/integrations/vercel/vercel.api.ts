/**
 * The `vercel` namespace: the connection (a token, optional team, sealed and kept locally), the
 * account, Vercel projects and their links to projects (shared), deployments with their build log
 * (followed live while building), deploy / promote / rollback, and release health. See README.md.
 */
import { ApiError, type VercelAccount, type VercelDeployment } from '../../../contract';
import type { HandlersOf } from '../../api-registration';
import type { CoreContext } from '../../context';
import { BuildFollower, type FollowTarget } from './build-follow';
import { recordDeployEvent } from './deploy-events';
import { ProductionChanges } from './production';
import { getLink, linkVercelProject, linksOfVercelProject, liveLinks, requireProjectLink } from './project-links-doc';
import { deploymentHealth, releaseMonitorJobType } from './release-monitor';
import { refreshShipped } from './shipped';
import { monitorNewRelease } from './monitor-follow';
import { defaultVercelBaseUrl } from './vercel-client';
import { createDeployment, getBuildEvents, getDeployment, getProject, getUser, listDeployments, listProjects } from './vercel-calls';
import { vercelSession, type VercelApiDeps, type VercelSession } from './vercel-session';

export type { VercelApiDeps } from './vercel-session';

export function vercelApi(ctx: CoreContext, deps: VercelApiDeps) {
  const session = vercelSession(ctx, deps);
  const production = new ProductionChanges(session);
  // After a change of production (a build ended, a promote, a rollback): the runner replica of
  // each link to the Vercel project updates its tasks' deploy marks.
  const updateShipped = async (vercelProjectId: string) => {
    for (const link of await linksOfVercelProject(ctx, vercelProjectId)) {
      await refreshShipped(session, production, link).catch((error: unknown) =>
        ctx.logger.warn({ err: error instanceof Error ? error.message : String(error), projectId: link.projectId }, 'vercel: could not update tasks\' deploy marks'),
      );
    }
  };
  // A deployment's build ended (followed here, or a release made outside the app that a release
  // monitor noticed): tasks' deploy marks, and a ready production release gets the project's
  // release monitor carried over to it (monitor-follow.ts).
  const releaseEnded = async (deployment: VercelDeployment) => {
    await updateShipped(deployment.vercelProjectId);
    for (const link of await linksOfVercelProject(ctx, deployment.vercelProjectId)) await monitorNewRelease(session, link, deployment);
  };
  // A followed build ended: its webhook event first (this replica followed it: it sends it). A
  // canceled build is `deploy.failed` with its state: every `deploy.started` a replica follows to
  // the end gets exactly one outcome.
  const follower = new BuildFollower(session, async (deployment, target) => {
    await recordDeployEvent(session, deployment.state === 'ready' ? 'deploy.ready' : 'deploy.failed', target, deployment);
    await releaseEnded(deployment);
  });
  return {
    handlers: handlers(session, production, follower, updateShipped) satisfies HandlersOf<'vercel'>,
    /** The `release.monitor` job type (registered with the scheduler's types in core.ts). */
    monitorJob: releaseMonitorJobType(session, production, updateShipped, releaseEnded),
    /** Follows again the builds followed before the last stop (after the webhook sender started: their ends are events). */
    start: () => follower.resume(),
    /** Stops following builds (before the database closes); they are followed again at the next start. */
    close: () => follower.close(),
  };
}

/** Where a deployment's events go: the first live project linking its Vercel project. */
async function followTarget(session: VercelSession, deployment: VercelDeployment): Promise<FollowTarget | null> {
  const link = (await linksOfVercelProject(session.ctx, deployment.vercelProjectId))[0];
  return link ? { workspaceId: link.workspaceId, projectId: link.projectId } : null;
}

function handlers(session: VercelSession, production: ProductionChanges, follower: BuildFollower, updateShipped: (vercelProjectId: string) => Promise<void>) {
  const { ctx, store } = session;
  return {
    async connect({ token, teamId, baseUrl }) {
      const base = baseUrl ?? defaultVercelBaseUrl;
      const client = session.client(base, token, teamId ?? null);
      // Checked before anything is stored: the user with the token alone, then (with a team) one
      // call acting for the team, which Vercel refuses when the token has no access to it.
      const user = await getUser(session.client(base, token, null), 'token');
      if (teamId) await listProjects(client, { tokenField: 'token', pages: 1 });
      const account: VercelAccount = { userId: user.id, username: user.username, name: user.name ?? null, email: user.email, teamId: teamId ?? null, baseUrl: base };
      await store.save(token, account);
      session.reset();
      await follower.resume();
      return account;
    },
    account: () => store.account(),
    async disconnect() {
      session.reset();
      await follower.stopAll();
      await store.remove();
    },
    async projects() {
      const client = await session.connectedClient();
      const [projects, links] = await Promise.all([listProjects(client), liveLinks(ctx)]);
      return projects.map((p) => ({
        id: p.id,
        name: p.name,
        framework: p.framework ?? null,
        repo: p.link?.org && p.link.repo ? `${p.link.org}/${p.link.repo}` : null,
        linkedProjectIds: links.filter((l) => l.vercelProjectId === p.id).map((l) => l.projectId),
      }));
    },
    async linkProject({ projectId, vercelProjectId }, call) {
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      session.requireWriter(workspaceId, 'link Vercel projects');
      // Vercel is asked first (its name is shown to teammates; a 404 is NOT_FOUND naming
      // vercelProjectId, nothing written). One short GET inside the workspace's mutation queue:
      // the link's deciding read and its write stay one unit.
      const project = await getProject(await session.connectedClient(), vercelProjectId);
      return getLink(ctx, await linkVercelProject(ctx, workspaceId, call.origin, {
          projectId,
          vercelProjectId: project.id,
          vercelProjectName: project.name,
          repo: project.link?.org && project.link.repo ? `${project.link.org}/${project.link.repo}` : null,
          runner: session.deps.replica,
        }));
    },
    async deployments({ projectId, target }) {
      await ctx.places.projectWorkspace(projectId, 'projectId');
      const link = await requireProjectLink(ctx, projectId);
      // With the deployment production serves (one more GET, in parallel): the list says which
      // one is live, so "Roll back to this" is offered for the others only.
      const [list, current] = await Promise.all([listDeployments(await session.connectedClient(), link.vercelProjectId, target), production.current(link.vercelProjectId)]);
      for (const d of list) d.servesProduction = d.id === current;
      // Deploys made outside the app (a git push) are noticed when someone looks: not awaited.
      void updateShipped(link.vercelProjectId);
      return list;
    },
    async deployment({ id }) {
      return getDeployment(await session.connectedClient(), id);
    },
    async events({ deploymentId }) {
      const client = await session.connectedClient();
      const [deployment, events] = await Promise.all([getDeployment(client, deploymentId, 'deploymentId'), getBuildEvents(client, deploymentId)]);
      // Still building: follow it, so the rest of the log arrives as `vercel` events.
      const target = deployment.state === 'building' ? await followTarget(session, deployment) : null;
      if (target) await follower.follow(deployment, target, events);
      return { deploymentId, state: deployment.state, events, errorLines: events.filter((e) => e.isError).map((e) => e.text) };
    },
    async deploy({ projectId, ref }) {
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      session.requireWriter(workspaceId, 'deploy');
      const link = await requireProjectLink(ctx, projectId);
      const client = await session.connectedClient();
      const deployment = await createDeployment(client, await getProject(client, link.vercelProjectId, 'projectId'), ref);
      await recordDeployEvent(session, 'deploy.started', link, deployment);
      await follower.follow(deployment, { workspaceId, projectId });
      return deployment;
    },
    async promote({ deploymentId }) {
      const client = await session.connectedClient();
      const deployment = await getDeployment(client, deploymentId, 'deploymentId');
      const link = (await linksOfVercelProject(ctx, deployment.vercelProjectId))[0];
      if (!link) throw new ApiError('VALIDATION', `deploymentId: ${deploymentId} belongs to a Vercel project no project links.`, { field: 'deploymentId' });
      session.requireWriter(link.workspaceId, 'promote deployments');
      const change = await production.promote(link, deploymentId);
      await updateShipped(deployment.vercelProjectId);
      return change;
    },
    async rollback({ projectId, deploymentId }) {
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      session.requireWriter(workspaceId, 'roll back production');
      const link = await requireProjectLink(ctx, projectId);
      const change = await production.rollback(link, deploymentId);
      await updateShipped(link.vercelProjectId);
      return change;
    },
    health: ({ deploymentId }) => deploymentHealth(session, deploymentId),
  } satisfies HandlersOf<'vercel'>;
}
