import { useCallback, useEffect, useState } from 'react';
import { isApiError, webhookEventTypes, type WebhookDelivery, type WebhookEndpoint, type WebhookEventType } from '../../../src-main/contract';
import { api, onEvent } from '../../api/connection';
import { FormField } from '../../components/form-field';
import { useFormSubmit } from '../../components/use-form-submit';
import { toastError, toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { formatLocal } from '../jobs/job-format';

/**
 * Settings → Webhooks: the workspace's endpoints (shared with its owners and admins), each with
 * its delivery log on this device. A new or rotated secret is shown once, here, to be copied: it is
 * kept sealed on this device, which signs and sends (core/webhooks/README.md).
 */
export function WebhooksSettings() {
  const workspaceId = useAppStore((s) => s.currentWorkspaceId);
  const [endpoints, setEndpoints] = useState<WebhookEndpoint[] | null>(null);
  /** Why this person cannot manage webhooks here (a member or viewer), instead of the tab's controls. */
  const [refused, setRefused] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);

  // Bumped to read the list again (after an action, or when the shared endpoints changed).
  const [reads, setReads] = useState(0);
  const reload = useCallback(() => setReads((n) => n + 1), []);
  useEffect(() => {
    if (!workspaceId) return;
    let current = true;
    api.webhooks.list({ workspaceId }).then(
      (list) => current && setEndpoints(list),
      (error: unknown) => {
        if (!current) return;
        setEndpoints([]);
        if (isApiError(error) && error.code === 'FORBIDDEN') setRefused(error.message);
        else toastError(error);
      },
    );
    return () => {
      current = false;
    };
  }, [workspaceId, reads]);
  // Groundwork may turn an endpoint off (410, failures), a teammate may change one: the list follows the shared state.
  useEffect(() => onEvent('changed', (event) => event.entity === 'webhookEndpoint' && reload()), [reload]);

  if (!workspaceId) return null;
  if (refused) return <p className="hint">{refused}</p>;
  const act = async (work: () => Promise<unknown>, done?: string) => {
    try {
      await work();
      if (done) toastInfo(done);
      reload();
    } catch (error) {
      toastError(error);
    }
  };
  const shown = endpoints?.find((e) => e.id === logOf) ?? null;

  return (
    <div className="stack">
      <p className="hint">
        Other tools hear what happens in this workspace: Groundwork POSTs each event, signed (Standard Webhooks), and retries for 3 days. Only owners and admins
        manage webhooks.
      </p>
      {secret && <SecretOnce url={secret.url} secret={secret.secret} onDone={() => setSecret(null)} />}
      <AddEndpoint
        workspaceId={workspaceId}
        onAdded={(added) => {
          setSecret({ url: added.url, secret: added.secret });
          reload();
        }}
      />
      <section className="stack" aria-label="Webhook endpoints">
        {endpoints === null ? (
          <p className="hint">Reading the endpoints…</p>
        ) : endpoints.length === 0 ? (
          <p className="hint">No endpoint yet.</p>
        ) : (
          <ul className="webhook-endpoints">
            {endpoints.map((endpoint) => (
              <li key={endpoint.id} className="stack" aria-label={endpoint.url}>
                <div>
                  <strong>{endpoint.url}</strong>
                  {endpoint.description && <span className="hint"> — {endpoint.description}</span>}
                </div>
                <div className="hint">{endpoint.events.join(', ')}</div>
                {endpoint.disabledReason && <div role="status">Turned off by Groundwork: {endpoint.disabledReason}</div>}
                {!endpoint.deliversHere && <div className="hint">Sent from the device that added it.</div>}
                <div className="webhook-row">
                  <label className="radio-option">
                    <input
                      type="checkbox"
                      checked={endpoint.enabled}
                      onChange={(e) => void act(() => api.webhooks.update({ id: endpoint.id, enabled: e.target.checked }))}
                    />
                    Enabled
                  </label>
                  <button type="button" className="button" disabled={!endpoint.deliversHere || !endpoint.enabled} onClick={() => void act(() => api.webhooks.sendTest({ id: endpoint.id }), 'Test event queued').then(() => setLogOf(endpoint.id))}>
                    Send test event
                  </button>
                  <button
                    type="button"
                    className="button"
                    disabled={!endpoint.deliversHere}
                    onClick={() =>
                      void act(async () => {
                        const rotated = await api.webhooks.rotateSecret({ id: endpoint.id });
                        setSecret({ url: rotated.url, secret: rotated.secret });
                      })
                    }
                  >
                    Rotate secret
                  </button>
                  <button type="button" className="button" aria-expanded={logOf === endpoint.id} onClick={() => setLogOf(logOf === endpoint.id ? null : endpoint.id)}>
                    Delivery log
                  </button>
                  <button type="button" className="button button-danger" onClick={() => void act(() => api.webhooks.delete({ id: endpoint.id }), 'Endpoint deleted')}>
                    Delete
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      {shown && <DeliveryLog endpoint={shown} />}
      <AllowPrivate />
    </div>
  );
}

/** The `webhooks-allow-private` preference of this device (core/webhooks/target-safety.ts). */
function AllowPrivate() {
  const [allowed, setAllowed] = useState<boolean | null>(null);
  useEffect(() => {
    let current = true;
    api.preferences.get({ key: 'webhooks-allow-private' }).then((value) => current && setAllowed(value === true), toastError);
    return () => {
      current = false;
    };
  }, []);
  const change = (value: boolean) =>
    api.preferences.set({ key: 'webhooks-allow-private', value }).then(() => setAllowed(value), toastError);
  return (
    <label className="radio-option">
      <input type="checkbox" disabled={allowed === null} checked={allowed === true} onChange={(e) => void change(e.target.checked)} />
      Allow webhooks to private networks (10.x, 192.168.x, … — an intranet receiver) from this device
    </label>
  );
}

/** A secret is shown once: copy it now (Groundwork keeps it sealed and never shows it again). */
function SecretOnce({ url, secret, onDone }: { url: string; secret: string; onDone(): void }) {
  const copy = () =>
    navigator.clipboard.writeText(secret).then(
      () => toastInfo('Secret copied'),
      () => toastInfo('The clipboard is not available here: select the secret and copy it.'),
    );
  return (
    <section className="stack" aria-label="Signing secret" role="region">
      <p>
        The signing secret of {url}. Copy it into the receiver now: <strong>it is not shown again</strong>.
      </p>
      <code className="webhook-secret" aria-label="Secret">
        {secret}
      </code>
      <div className="row-end">
        <button type="button" className="button" onClick={() => void copy()}>
          Copy secret
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

function AddEndpoint({ workspaceId, onAdded }: { workspaceId: string; onAdded(endpoint: WebhookEndpoint & { secret: string }): void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['task.created', 'task.updated', 'task.moved', 'task.deleted']);
  const { busy, errors, submit } = useFormSubmit(async () => {
    onAdded(await api.webhooks.create({ workspaceId, url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) }));
    setUrl('');
    setDescription('');
  });
  const toggle = (type: WebhookEventType, on: boolean) => setEvents((now) => (on ? [...now, type] : now.filter((t) => t !== type)));

  return (
    <form onSubmit={submit} className="stack" aria-label="Add an endpoint">
      <FormField label="Endpoint URL" error={errors.url} hint="https:// (http:// only for localhost).">
        {(control) => <input {...control} type="text" inputMode="url" placeholder="https://example.com/hooks/groundwork" value={url} onChange={(e) => setUrl(e.target.value)} />}
      </FormField>
      <FormField label="Description" error={errors.description}>
        {(control) => <input {...control} maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </FormField>
      <fieldset className="field">
        <legend>Events</legend>
        <div className="webhook-event-types">
          {webhookEventTypes.map((type) => (
            <label key={type} className="radio-option">
              <input type="checkbox" checked={events.includes(type)} onChange={(e) => toggle(type, e.target.checked)} />
              {type}
            </label>
          ))}
        </div>
        {errors.events && <small className="field-error">{errors.events}</small>}
      </fieldset>
      <div className="row-end">
        <button type="submit" className="button button-primary" disabled={busy}>
          Add endpoint
        </button>
      </div>
    </form>
  );
}

function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [reads, setReads] = useState(0);
  const reload = useCallback(() => setReads((n) => n + 1), []);
  useEffect(() => {
    let current = true;
    api.webhooks.deliveries({ endpointId: endpoint.id, limit: 100 }).then(
      (list) => current && setDeliveries(list),
      (error: unknown) => {
        if (!current) return;
        setDeliveries([]);
        toastError(error);
      },
    );
    return () => {
      current = false;
    };
  }, [endpoint.id, reads]);
  // This endpoint's deliveries changed on this device (claimed, answered): the log re-reads — at most
  // four times a second, so a backlog being sent (thousands a second) does not re-read it per batch.
  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | null = null;
    const off = onEvent('webhooks', (event) => {
      if (event.endpointId !== endpoint.id || pending) return;
      pending = setTimeout(() => {
        pending = null;
        reload();
      }, 250);
    });
    return () => {
      off();
      if (pending) clearTimeout(pending);
    };
  }, [endpoint.id, reload]);
  const redeliver = (input: { deliveryId: string } | { endpointId: string }) => api.webhooks.redeliver(input).then(reload, toastError);
  const failed = deliveries?.some((d) => d.status === 'failed') ?? false;

  return (
    <section className="stack" aria-label={`Deliveries to ${endpoint.url}`}>
      <div className="webhook-row">
        <h3>Deliveries to {endpoint.url}</h3>
        <button type="button" className="button" disabled={!failed} onClick={() => void redeliver({ endpointId: endpoint.id })}>
          Redeliver all failed
        </button>
      </div>
      {deliveries === null ? (
        <p className="hint">Reading the log…</p>
      ) : deliveries.length === 0 ? (
        <p className="hint">Nothing sent yet from this device.</p>
      ) : (
        <table className="webhook-deliveries">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Response</th>
              <th scope="col">Attempt</th>
              <th scope="col">Duration</th>
              <th scope="col">Time</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td>
                  <details>
                    <summary>{d.eventType}</summary>
                    <div className="stack webhook-delivery-detail">
                      <div className="hint">POST {d.request.url} · webhook-id {d.webhookId}</div>
                      <pre>{d.request.body}</pre>
                      {d.error && <div>{d.error}</div>}
                      {d.responseExcerpt && <pre aria-label="Response">{d.responseExcerpt}</pre>}
                    </div>
                  </details>
                </td>
                <td>{d.status}</td>
                <td>{d.responseStatus ?? (d.error ? 'no answer' : '—')}</td>
                <td>{d.attempt}</td>
                <td>{d.durationMs === null ? '—' : `${d.durationMs} ms`}</td>
                <td>{formatLocal(d.lastAttemptAt ?? d.createdAt)}</td>
                <td>
                  <button type="button" className="button" disabled={d.status === 'queued' || d.status === 'sending'} onClick={() => void redeliver({ deliveryId: d.id })}>
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
