/**
 * The `deploy.*` webhook events (docs/WEBHOOKS.md): recorded by the replica that did the thing —
 * created the deployment, followed its build to the end, promoted, rolled back — so each goes out
 * once, never once per teammate who sees the same deployments. The payload is the deployment in
 * the contract's shape with the Groundwork project it belongs to, plus what the change adds.
 *
 * A webhook that cannot be queued never fails what already happened on Vercel: it is logged.
 */
import type { VercelDeployment, WebhookEventType } from '../../../contract';
import type { VercelSession } from './vercel-session';

type DeployEventType = Extract<WebhookEventType, `deploy.${string}`>;

/** The Groundwork project a deployment is shown under (a link's or a followed build's). */
export interface DeployPlace {
  workspaceId: string;
  projectId: string;
}

export async function recordDeployEvent(
  session: VercelSession,
  type: DeployEventType,
  place: DeployPlace,
  deployment: VercelDeployment,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const data = { projectId: place.projectId, deployment, ...extra };
  await session.deps.recordWebhook({ workspaceId: place.workspaceId, type, data }).catch((error: unknown) =>
    session.ctx.logger.warn({ err: error instanceof Error ? error.message : String(error), type, deploymentId: deployment.id }, 'vercel: could not queue a webhook event'),
  );
}
