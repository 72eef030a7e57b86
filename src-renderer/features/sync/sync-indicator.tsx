import { useState } from 'react';
import type { SyncError, SyncStatus } from '../../../src-main/contract';
import { Dialog } from '../../components/dialog';
import { formatAgo, plural } from '../../components/format';
import { useNow } from '../../components/use-now';
import { useAppStore } from '../../store/app-store';
import { roleLabels, stateDescriptions, stateLabels, syncDetail } from './sync-labels';

/** Always at the bottom of the sidebar: a dot and a word, what is waiting, when it last synced. */
export function SyncIndicator() {
  const status = useAppStore((s) => s.syncStatus);
  const [open, setOpen] = useState(false);
  const now = useNow();
  if (!status) return null;
  const label = stateLabels[status.state];
  const detail = syncDetail(status, now);
  return (
    <>
      <button
        type="button"
        className="sync-indicator"
        aria-haspopup="dialog"
        aria-label={`Sync status: ${label}${detail ? `, ${detail}` : ''}`}
        title="Sync details"
        onClick={() => setOpen(true)}
      >
        <SyncDot state={status.state} />
        <span className="sync-text">
          <span className="sync-word">{label}</span>
          {detail && <span className="sync-detail">{detail}</span>}
        </span>
      </button>
      {open && <SyncDetailsDialog onClose={() => setOpen(false)} />}
    </>
  );
}

export function SyncDot({ state }: { state: SyncStatus['state'] }) {
  return <span className={`sync-dot sync-dot-${state}`} aria-hidden="true" />;
}

/** The details behind the indicator; reads the store, so it stays current while open. */
function SyncDetailsDialog({ onClose }: { onClose(): void }) {
  const status = useAppStore((s) => s.syncStatus);
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.currentWorkspaceId));
  const openSettings = useAppStore((s) => s.openSettings);
  const now = useNow(15_000);
  if (!status) return null;
  return (
    <Dialog
      title="Sync status"
      onClose={onClose}
      footer={
        <>
          <button
            type="button"
            className="button"
            onClick={() => {
              onClose();
              openSettings('team-sync');
            }}
          >
            Team sync settings…
          </button>
          <button type="button" className="button button-primary" onClick={onClose} data-autofocus>
            Done
          </button>
        </>
      }
    >
      <div className="stack">
        <SyncSummary status={status} workspaceName={workspace?.name ?? 'This workspace'} now={now} />
        {status.state !== 'local' && <SyncErrors errors={status.errors} now={now} />}
      </div>
    </Dialog>
  );
}

/** State, relay, role, what is waiting and when it last synced; shared with Settings → Team sync. */
export function SyncSummary({ status, workspaceName, now }: { status: SyncStatus; workspaceName: string; now: number }) {
  return (
    <section className="sync-summary" aria-label="Sync status of this workspace">
      <p className="sync-summary-state">
        <SyncDot state={status.state} />
        <strong>{stateLabels[status.state]}</strong>
        <span className="hint">· {workspaceName}</span>
      </p>
      <p className="hint sync-summary-description">{stateDescriptions[status.state]}</p>
      {status.state !== 'local' && (
        <dl className="facts">
          <div>
            <dt>Relay</dt>
            <dd className="mono">{status.relayUrl ?? '—'}</dd>
          </div>
          <div>
            <dt>Your role</dt>
            <dd>{roleLabels[status.role]}</dd>
          </div>
          <div>
            <dt>Waiting to sync</dt>
            <dd>{status.pendingChanges === 0 ? 'Nothing — all your changes are on the relay' : `${plural(status.pendingChanges, 'change')} not yet synced`}</dd>
          </div>
          <div>
            <dt>Last synced</dt>
            <dd title={status.lastSyncedAt ? new Date(status.lastSyncedAt).toLocaleString() : undefined}>
              {status.lastSyncedAt ? formatAgo(status.lastSyncedAt, now) : 'Not yet'}
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}

/** The same problem repeating while the relay is down is one line ("3 times"), at its latest time. */
function groupErrors(errors: SyncError[]): { at: string; message: string; count: number }[] {
  const groups = new Map<string, { at: string; message: string; count: number }>();
  // Newest first: the first time a message is seen is its latest occurrence.
  for (const error of errors) {
    const group = groups.get(error.message);
    if (group) group.count++;
    else groups.set(error.message, { ...error, count: 1 });
  }
  return [...groups.values()];
}

export function SyncErrors({ errors, now }: { errors: SyncError[]; now: number }) {
  if (errors.length === 0) return <p className="hint">No problems reported.</p>;
  return (
    <section className="sync-errors">
      <h3 className="section-heading">Recent problems</h3>
      <ul aria-label="Recent sync problems">
        {groupErrors(errors).map((error) => (
          <li key={error.message}>
            <time dateTime={error.at} title={new Date(error.at).toLocaleString()}>
              {formatAgo(error.at, now)}
            </time>
            <span>
              {error.message}
              {error.count > 1 && <span className="hint"> ({error.count} times)</span>}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
