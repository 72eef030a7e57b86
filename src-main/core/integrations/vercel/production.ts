/**
 * Changing what production serves: promote a preview, roll back to an earlier production
 * deployment. Checked before Vercel is asked (nothing half-applied: a refusal changes nothing),
 * and one change per Vercel project at a time: a second rollback to the same deployment while the
 * first is under way shares its answer (two clicks, or the monitor and a person at once, are ONE
 * rollback); one to another deployment is CONFLICT. The `deploy.promoted` / `deploy.rolled_back`
 * webhook event is recorded inside the change itself, so a shared answer is one event too.
 */
import { ApiError, type VercelProductionChange } from '../../../contract';
import { recordDeployEvent, type DeployPlace } from './deploy-events';
import { getDeployment, getProject, requestPromote, requestRollback } from './vercel-calls';
import type { VercelSession } from './vercel-session';

/** Whose production changes: the Groundwork project (a link satisfies it) and its Vercel project. */
export interface ProductionTarget extends DeployPlace {
  vercelProjectId: string;
}

/** Why an automatic rollback happened (the release monitor's rule); a person's rollback has none. */
export interface AutomaticRollback {
  reason: string;
}

export class ProductionChanges {
  private readonly inFlight = new Map<string, { deploymentId: string; kind: 'rollback' | 'promote'; done: Promise<VercelProductionChange> }>();

  constructor(private readonly session: VercelSession) {}

  /** The deployment production serves now (the project's `targets.production`), or null. */
  async current(vercelProjectId: string): Promise<string | null> {
    const project = await getProject(await this.session.connectedClient(), vercelProjectId, 'projectId');
    return project.targets?.production?.id ?? null;
  }

  rollback(production: ProductionTarget, deploymentId: string, automatic?: AutomaticRollback): Promise<VercelProductionChange> {
    const { projectId, vercelProjectId } = production;
    return this.once(vercelProjectId, deploymentId, 'rollback', async () => {
      const client = await this.session.connectedClient();
      const target = await getDeployment(client, deploymentId, 'deploymentId');
      if (target.vercelProjectId !== vercelProjectId) {
        throw new ApiError('VALIDATION', `deploymentId: ${deploymentId} is a deployment of another Vercel project, not of the one linked to this project.`, { field: 'deploymentId' });
      }
      if (target.target !== 'production' || target.state !== 'ready') {
        throw new ApiError(
          'VALIDATION',
          `deploymentId: production can only be rolled back to a ready production deployment; ${deploymentId} is ${target.state === 'ready' ? 'a preview (promote it instead)' : target.state}.`,
          { field: 'deploymentId' },
        );
      }
      const previous = await this.current(vercelProjectId);
      if (previous === deploymentId) throw new ApiError('CONFLICT', `${deploymentId} already serves production: there is nothing to roll back.`, { deploymentId });
      // Vercel keeps the why with the rollback (its description).
      await requestRollback(client, vercelProjectId, deploymentId, automatic ? `Groundwork release monitor: ${automatic.reason}`.slice(0, 1000) : undefined);
      await recordDeployEvent(this.session, 'deploy.rolled_back', production, { ...target, servesProduction: true }, {
        previousDeploymentId: previous,
        automatic: Boolean(automatic),
        reason: automatic?.reason ?? null,
      });
      return { projectId, deploymentId, previousDeploymentId: previous, queued: false };
    });
  }

  promote(production: ProductionTarget, deploymentId: string): Promise<VercelProductionChange> {
    const { projectId, vercelProjectId } = production;
    return this.once(vercelProjectId, deploymentId, 'promote', async () => {
      const client = await this.session.connectedClient();
      const deployment = await getDeployment(client, deploymentId, 'deploymentId');
      if (deployment.state !== 'ready') {
        throw new ApiError('VALIDATION', `deploymentId: only a ready deployment can be promoted; ${deploymentId} is ${deployment.state}.`, { field: 'deploymentId' });
      }
      const previous = await this.current(vercelProjectId);
      if (previous === deploymentId) throw new ApiError('CONFLICT', `${deploymentId} already serves production.`, { deploymentId });
      const { queued } = await requestPromote(client, vercelProjectId, deploymentId);
      // Queued (202: behind a rolling release) is still a promotion asked and accepted; `queued` says it waits.
      await recordDeployEvent(this.session, 'deploy.promoted', production, { ...deployment, servesProduction: !queued }, { previousDeploymentId: previous, queued });
      return { projectId, deploymentId, previousDeploymentId: previous, queued };
    });
  }

  private once(vercelProjectId: string, deploymentId: string, kind: 'rollback' | 'promote', work: () => Promise<VercelProductionChange>): Promise<VercelProductionChange> {
    const running = this.inFlight.get(vercelProjectId);
    if (running) {
      if (running.deploymentId === deploymentId && running.kind === kind) return running.done;
      throw new ApiError('CONFLICT', `A ${running.kind} of this project to ${running.deploymentId} is under way: wait for it to finish.`, { deploymentId: running.deploymentId });
    }
    const done = work().finally(() => this.inFlight.delete(vercelProjectId));
    this.inFlight.set(vercelProjectId, { deploymentId, kind, done });
    return done;
  }
}
