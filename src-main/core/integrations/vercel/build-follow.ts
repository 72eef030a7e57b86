/**
 * Following a build live: while a deployment builds, its log is read every `followIntervalMs`
 * from where the last read ended (`since`), and the new lines go out as a `vercel` event with the
 * state; the read that finds a final state sends it and stops. Polling rather than Vercel's
 * `follow=1` stream: a stream held open per build through the core's fetch port cannot be driven
 * by the core's timers in tests, and a poll survives a dropped connection by itself.
 *
 * One follower per deployment however many views ask (a Map by id). Timers come from the core's
 * port, so tests move time by hand.
 */
import type { VercelBuildEvent, VercelDeployment } from '../../../contract';
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

  /** Follows `deployment` until its build ends (nothing when it already has, or is followed). */
  follow(deployment: VercelDeployment, target: FollowTarget, seen: VercelBuildEvent[] = []): void {
    if (this.closed || deployment.state !== 'building' || this.following.has(deployment.id)) return;
    const lastSeen = seen.at(-1);
    let since = lastSeen ? Date.parse(lastSeen.createdAt) + 1 : undefined;
    const interval = this.session.deps.ports?.followIntervalMs ?? 2000;
    const generation = this.generation;
    const tick = async () => {
      try {
        const client = await this.session.connectedClient();
        const [events, now] = await Promise.all([getBuildEvents(client, deployment.id, since), getDeployment(client, deployment.id, 'deploymentId')]);
        const last = events.at(-1);
        if (last) since = Date.parse(last.createdAt) + 1;
        if (events.length || now.state !== 'building') {
          this.session.deps.emit({ ...target, kind: 'build', deploymentId: deployment.id, state: now.state, events });
        }
        if (now.state !== 'building') {
          this.following.delete(deployment.id);
          this.onFinal(now, target).catch((error: unknown) =>
            this.session.ctx.logger.warn({ err: error instanceof Error ? error.message : String(error), deploymentId: deployment.id }, 'vercel: after a build ended'),
          );
          return;
        }
      } catch (error) {
        // A failed read is tried again at the next tick; the view still has what it read.
        this.session.ctx.logger.warn({ err: error instanceof Error ? error.message : String(error), deploymentId: deployment.id }, 'vercel: could not read a followed build');
      }
      arm();
    };
    const arm = () => {
      if (this.closed || generation !== this.generation) return;
      const handle = this.session.deps.timers.at(new Date(this.session.deps.clock().getTime() + interval), () => void tick());
      this.following.set(deployment.id, handle);
    };
    arm();
  }

  /** Stops following every build (a disconnect: the token they were read with is gone); later builds can be followed again. */
  stopAll(): void {
    this.generation++;
    for (const handle of this.following.values()) handle.cancel();
    this.following.clear();
  }

  /** For good (the core is closing). */
  close(): void {
    this.closed = true;
    this.stopAll();
  }
}
