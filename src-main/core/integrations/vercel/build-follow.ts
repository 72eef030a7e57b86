/**
 * Following a build live: while a deployment builds, its log is read every `followIntervalMs`
 * from where the last read ended (`since`), and the new lines go out as a `vercel` event with the
 * state; the read that finds a final state sends it and stops. Polling rather than Vercel's
 * `follow=1` stream: a stream held open per build through the core's fetch port cannot be driven
 * by the core's timers in tests, and a poll survives a dropped connection by itself.
 *
 * One follower per deployment however many views ask (a Map by id). Timers come from the core's
 * port, so tests move time by hand.
 *
 * What is followed is remembered in `vercel_followed_builds` (migration 0016) until its end has
 * been handled: a build that ends while the app is closed gets its end handled at the next start
 * (`resume`) — its `deploy.ready` / `deploy.failed`, its tasks' deploy marks, its release monitor.
 * A crash while the end is being handled handles it again at the next start (at least once).
 */
import { ApiError, type VercelBuildEvent, type VercelDeployment } from '../../../contract';
import type { DeployPlace } from './deploy-events';
import { getBuildEvents, getDeployment } from './vercel-calls';
import type { VercelSession } from './vercel-session';

/** Where a followed build's events go: the project it is shown under. */
export type FollowTarget = DeployPlace;

export class BuildFollower {
  private readonly following = new Map<string, { cancel(): void }>();
  private closed = false;
  /** Bumped by stopAll: a poll under way then does not arm another. */
  private generation = 0;

  constructor(
    private readonly session: VercelSession,
    /** Called once when a followed deployment reaches a final state (webhook event, task marking, release monitor). */
    private readonly onFinal: (deployment: VercelDeployment, target: FollowTarget) => Promise<void>,
  ) {}

  /** Follows `deployment` until its build ends (nothing when it already has, or is followed), across restarts. */
  async follow(deployment: VercelDeployment, target: FollowTarget, seen: VercelBuildEvent[] = []): Promise<void> {
    if (this.closed || deployment.state !== 'building' || this.following.has(deployment.id)) return;
    // Taken now (the write below yields): a second view asking meanwhile does not start a second poll.
    this.following.set(deployment.id, { cancel() {} });
    const generation = this.generation;
    await this.session.ctx.db.query(
      'INSERT INTO vercel_followed_builds (deployment_id, workspace_id, project_id, followed_at) VALUES ($1, $2, $3, $4) ON CONFLICT (deployment_id) DO NOTHING',
      [deployment.id, target.workspaceId, target.projectId, this.session.ctx.now()],
    );
    const lastSeen = seen.at(-1);
    this.poll(deployment.id, target, generation, lastSeen ? Date.parse(lastSeen.createdAt) + 1 : undefined);
  }

  /** At start, and after a connect: the builds followed before are followed again (one that ended meanwhile: at its first read). */
  async resume(): Promise<void> {
    if (this.closed || !(await this.session.store.account())) return;
    const { rows } = await this.session.ctx.db.query<{ deployment_id: string; workspace_id: string; project_id: string }>(
      'SELECT deployment_id, workspace_id, project_id FROM vercel_followed_builds ORDER BY followed_at',
    );
    for (const row of rows) {
      if (this.following.has(row.deployment_id)) continue;
      this.following.set(row.deployment_id, { cancel() {} });
      this.poll(row.deployment_id, { workspaceId: row.workspace_id, projectId: row.project_id }, this.generation, undefined);
    }
  }

  /** Reads the build every `followIntervalMs` from `since` until it ends; then its end is handled and forgotten. */
  private poll(deploymentId: string, target: FollowTarget, generation: number, since: number | undefined): void {
    const interval = this.session.deps.ports?.followIntervalMs ?? 2000;
    const { logger } = this.session.ctx;
    const tick = async () => {
      try {
        const client = await this.session.connectedClient();
        const [events, now] = await Promise.all([getBuildEvents(client, deploymentId, since), getDeployment(client, deploymentId, 'deploymentId')]);
        const last = events.at(-1);
        if (last) since = Date.parse(last.createdAt) + 1;
        if (events.length || now.state !== 'building') {
          this.session.deps.emit({ ...target, kind: 'build', deploymentId, state: now.state, events });
        }
        if (now.state !== 'building') {
          this.following.delete(deploymentId);
          await this.onFinal(now, target).catch((error: unknown) => logger.warn({ err: errorText(error), deploymentId }, 'vercel: after a build ended'));
          await this.forget(deploymentId);
          return;
        }
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NOT_FOUND') {
          // Deleted on Vercel: there is no end to wait for.
          logger.warn({ deploymentId }, 'vercel: a followed build is gone from Vercel; no longer followed');
          this.following.delete(deploymentId);
          await this.forget(deploymentId).catch(() => {});
          return;
        }
        // A failed read is tried again at the next tick; the view still has what it read.
        logger.warn({ err: errorText(error), deploymentId }, 'vercel: could not read a followed build');
      }
      arm();
    };
    const arm = () => {
      if (this.closed || generation !== this.generation) return;
      const handle = this.session.deps.timers.at(new Date(this.session.deps.clock().getTime() + interval), () => void tick());
      this.following.set(deploymentId, handle);
    };
    arm();
  }

  private async forget(deploymentId: string): Promise<void> {
    await this.session.ctx.db.query('DELETE FROM vercel_followed_builds WHERE deployment_id = $1', [deploymentId]);
  }

  /** Stops following every build (a disconnect: the token they were read with is gone) and forgets them; later builds can be followed again. */
  async stopAll(): Promise<void> {
    this.generation++;
    for (const handle of this.following.values()) handle.cancel();
    this.following.clear();
    await this.session.ctx.db.query('DELETE FROM vercel_followed_builds');
  }

  /** For good (the core is closing): what is followed is remembered for the next start. */
  close(): void {
    this.closed = true;
    this.generation++;
    for (const handle of this.following.values()) handle.cancel();
    this.following.clear();
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
