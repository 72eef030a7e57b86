import { useCallback, useEffect, useState } from 'react';
import type { VercelBuildEvent, VercelDeployment, VercelHealth } from '../../../src-main/contract';
import { api, onEvent } from '../../api/connection';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { FormField } from '../../components/form-field';
import { useFormSubmit } from '../../components/use-form-submit';
import { errorText, InlineError } from '../../components/inline-error';
import { toastError, toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { StateChip, type Tone } from '../github/state-chip';
import { formatLocal } from '../jobs/job-format';

const stateTone: Record<VercelDeployment['state'], Tone> = { building: 'busy', ready: 'good', error: 'bad', canceled: 'plain' };
const healthTone: Record<VercelHealth['status'], Tone> = { ok: 'good', degraded: 'warn', down: 'bad', unknown: 'plain' };

const name = (d: VercelDeployment) => `${d.id} (${d.ref ?? 'no ref'}${d.commitSha ? ` @ ${d.commitSha.slice(0, 7)}` : ''})`;

/**
 * A project's Deploys tab: the linked Vercel project's deployments (state, target, ref and commit,
 * creator, time), Deploy from a ref, Promote a preview, Roll back production with a confirmation
 * naming both deployments, a deployment's build log (live while it builds: `vercel` events), and
 * release health per production deployment.
 */
export function DeploymentsView({ projectId }: { projectId: string }) {
  const [deployments, setDeployments] = useState<VercelDeployment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [rollbackTo, setRollbackTo] = useState<VercelDeployment | null>(null);
  const openSettings = useAppStore((s) => s.openSettings);
  const read = useCallback(
    () =>
      api.vercel.deployments({ projectId }).then(
        (list) => {
          setDeployments(list);
          setError(null);
        },
        (e: unknown) => setError(errorText(e)),
      ),
    [projectId],
  );
  useEffect(() => {
    void read();
    // A followed build ended: the list's states change.
    return onEvent('vercel', (event) => {
      if (event.projectId === projectId && event.state !== 'building') void read();
    });
  }, [projectId, read]);

  const production = deployments?.find((d) => d.servesProduction) ?? null;
  const promote = async (d: VercelDeployment) => {
    try {
      const change = await api.vercel.promote({ deploymentId: d.id });
      toastInfo(change.queued ? `Promotion of ${d.id} is queued behind a rolling release` : `${d.id} now serves production`);
      await read();
    } catch (e) {
      toastError(e);
    }
  };

  return (
    <section className="stack deployments-view" aria-label="Deployments">
      <DeployForm projectId={projectId} onDeployed={(d) => {
        setOpen(d.id);
        void read();
      }} />
      {error ? (
        <>
          <InlineError label="Deployments could not be read">{error}</InlineError>
          <div>
            <button type="button" onClick={() => openSettings('vercel')}>
              Open Settings → Vercel
            </button>
          </div>
        </>
      ) : null}
      {deployments === null && !error ? <p className="hint">Reading deployments…</p> : null}
      {deployments?.length === 0 ? <p className="hint">No deployments yet.</p> : null}
      <ul className="queue-list" aria-label="Vercel deployments">
        {deployments?.map((d) => (
          <li key={d.id} className="code-row">
            <div className="code-row-main">
              <StateChip tone={stateTone[d.state]} label={d.state} />
              <StateChip tone="plain" label={d.target} />
              {d.servesProduction ? <StateChip tone="good" label="live" title="Production serves this deployment" /> : null}
              <strong>{d.commitMessage ?? d.ref ?? d.id}</strong>
              <span className="hint">
                {d.ref ?? ''} {d.commitSha ? d.commitSha.slice(0, 7) : ''} · {d.creator} · {formatLocal(d.createdAt)}
              </span>
            </div>
            <div className="code-row-meta">
              <a href={d.url} target="_blank" rel="noreferrer">
                Open
              </a>
              <button type="button" onClick={() => setOpen(open === d.id ? null : d.id)} aria-expanded={open === d.id}>
                Build log
              </button>
              {d.target === 'preview' && d.state === 'ready' ? (
                <button type="button" onClick={() => void promote(d)}>
                  Promote
                </button>
              ) : null}
              {d.target === 'production' && d.state === 'ready' && production && d.id !== production.id ? (
                <button type="button" onClick={() => setRollbackTo(d)}>
                  Roll back to this
                </button>
              ) : null}
            </div>
            {d.target === 'production' && d.state === 'ready' ? <Health deploymentId={d.id} /> : null}
            {d.servesProduction ? <MonitorRelease projectId={projectId} deployment={d} /> : null}
            {open === d.id ? <BuildLog deploymentId={d.id} /> : null}
          </li>
        ))}
      </ul>
      {rollbackTo && production ? (
        <ConfirmDialog
          title="Roll back production?"
          confirmLabel="Roll back"
          danger
          onClose={() => setRollbackTo(null)}
          onConfirm={async () => {
            await api.vercel.rollback({ projectId, deploymentId: rollbackTo.id });
            toastInfo(`Production now serves ${rollbackTo.id}`);
            await read();
          }}
        >
          <p>
            Production serves <strong>{name(production)}</strong>. Roll it back to <strong>{name(rollbackTo)}</strong>, made {formatLocal(rollbackTo.createdAt)}?
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function DeployForm({ projectId, onDeployed }: { projectId: string; onDeployed(d: VercelDeployment): void }) {
  const [ref, setRef] = useState('main');
  const { busy, errors, submit } = useFormSubmit(async () => {
    const d = await api.vercel.deploy({ projectId, ref: ref.trim() });
    toastInfo(`Deploying ${ref.trim()}: ${d.id}`);
    onDeployed(d);
  });
  return (
    <form className="deploy-form" aria-label="Deploy from a git ref" onSubmit={submit}>
      <FormField label="Git ref" error={errors.ref ?? errors.projectId} hint="A branch, or the commit of a merged pull request.">
        {(control) => <input {...control} value={ref} onChange={(e) => setRef(e.target.value)} />}
      </FormField>
      <button type="submit" className="primary" disabled={busy || !ref.trim()}>
        {busy ? 'Deploying…' : 'Deploy'}
      </button>
    </form>
  );
}

/** The build log: read once, then new lines from `vercel` events while it builds. Error lines first when it failed. */
function BuildLog({ deploymentId }: { deploymentId: string }) {
  const [lines, setLines] = useState<VercelBuildEvent[]>([]);
  const [state, setState] = useState<string | null>(null);
  const [errorLines, setErrorLines] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const off = onEvent('vercel', (event) => {
      if (event.deploymentId !== deploymentId) return;
      setLines((before) => [...before, ...event.events]);
      setState(event.state);
      setErrorLines((before) => [...before, ...event.events.filter((e) => e.isError).map((e) => e.text)]);
    });
    api.vercel.events({ deploymentId }).then(
      (log) => {
        if (!live) return;
        setLines(log.events);
        setState(log.state);
        setErrorLines(log.errorLines);
      },
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
      off();
    };
  }, [deploymentId]);
  return (
    <div className="build-log" aria-label={`Build log of ${deploymentId}`}>
      {error ? <InlineError label="The build log could not be read">{error}</InlineError> : null}
      {state === 'error' && errorLines.length ? (
        <div role="alert">
          <strong>The build failed:</strong>
          <pre>{errorLines.join('\n')}</pre>
        </div>
      ) : null}
      <pre aria-live={state === 'building' ? 'polite' : 'off'}>{lines.map((l) => l.text).join('\n') || (state === 'building' ? 'Waiting for the build…' : '')}</pre>
    </div>
  );
}

/**
 * "Monitor this release": a `release.monitor` job for the live deployment — the URL to check
 * (default: the deployment's own), the text it must contain, how often, and the optional
 * automatic rollback. Later releases the app follows get it carried over (core monitor-follow.ts).
 */
function MonitorRelease({ projectId, deployment }: { projectId: string; deployment: VercelDeployment }) {
  const workspaceId = useAppStore((s) => s.projects.find((p) => p.id === projectId)?.workspaceId ?? null);
  const [url, setUrl] = useState(deployment.url);
  const [expectText, setExpectText] = useState('');
  const [minutes, setMinutes] = useState(5);
  const [autoRollback, setAutoRollback] = useState(false);
  const { busy, errors, submit } = useFormSubmit(async () => {
  if (!workspaceId) return;
    await api.jobs.create({
      workspaceId,
      projectId,
      name: `Release monitor · ${deployment.id}`,
      type: 'release.monitor',
      schedule: `*/${minutes} * * * *`,
      timezone: 'UTC',
      params: {
        deploymentId: deployment.id,
        urls: [{ url: url.trim(), ...(expectText.trim() ? { expectText: expectText.trim() } : {}) }],
        ...(autoRollback ? { autoRollback: { afterFailures: 3, withinMinutes: 60 } } : {}),
      },
    });
    toastInfo(`Monitoring ${deployment.id} every ${minutes} min`);
  });
  return (
    <details className="monitor-release">
      <summary>Monitor this release</summary>
      <form className="stack" aria-label={`Monitor ${deployment.id}`} onSubmit={submit}>
        <FormField label="URL to check" error={errors['params.urls.0.url']}>
          {(control) => <input {...control} type="url" value={url} onChange={(e) => setUrl(e.target.value)} />}
        </FormField>
        <FormField label="Text the page must contain (optional)">{(control) => <input {...control} value={expectText} onChange={(e) => setExpectText(e.target.value)} />}</FormField>
        <FormField label="Check every (minutes)">
          {(control) => (
            <select {...control} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
              {[1, 5, 10, 15, 30].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <label>
          <input type="checkbox" checked={autoRollback} onChange={(e) => setAutoRollback(e.target.checked)} /> Roll back automatically after 3 failed checks in a row within 60 minutes of the deploy
        </label>
        {/* Any other refusal (a viewer or member may not create jobs; another field) in words. */}
        {Object.entries(errors)
          .filter(([field]) => field !== 'params.urls.0.url')
          .map(([field, message]) => (
            <InlineError key={field}>{message}</InlineError>
          ))}
        <div>
          <button type="submit" className="primary" disabled={busy || !url.trim()}>
            {busy ? 'Creating…' : 'Start monitoring'}
          </button>
        </div>
      </form>
    </details>
  );
}

function Health({ deploymentId }: { deploymentId: string }) {
  const [health, setHealth] = useState<VercelHealth | null>(null);
  useEffect(() => {
    api.vercel.health({ deploymentId }).then(setHealth, () => undefined);
  }, [deploymentId]);
  if (!health || health.status === 'unknown') return null;
  return (
    <p className="hint" aria-label={`Release health of ${deploymentId}`}>
      <StateChip tone={healthTone[health.status]} label={`health: ${health.status}`} /> p50 {health.p50Ms ?? '–'} ms · p95 {health.p95Ms ?? '–'} ms · errors{' '}
      {Math.round(health.errorRate * 100)}% of {health.checks} checks{health.rolledBackTo ? ` · rolled back to ${health.rolledBackTo}` : ''}
    </p>
  );
}
