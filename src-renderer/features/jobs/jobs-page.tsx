import { useEffect, useState } from 'react';

import { EmptyState } from '../../components/empty-state';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { selectCanManageJobs } from '../../store/jobs-slice';
import { askNotificationPermission, notificationPermission, type NotificationPermissionState } from './job-alerts';
import { JobDetail } from './job-detail';
import { JobRow } from './job-row';
import { localTimeZone } from './job-format';

/** Jobs: recurring work the app does by itself (audits, uptime checks, exports, backups), and how each went. */
export function JobsPage() {
  const jobs = useAppStore((s) => s.jobs);
  const jobsLoaded = useAppStore((s) => s.jobsLoaded);
  const jobTypes = useAppStore((s) => s.jobTypes);
  const selectedJobId = useAppStore((s) => s.selectedJobId);
  const canManage = useAppStore(selectCanManageJobs);
  const setJobDialog = useAppStore((s) => s.setJobDialog);
  const selected = jobs.find((j) => j.id === selectedJobId);

  useEffect(() => {
    const store = useAppStore.getState();
    store.loadJobTypes().catch(toastError);
    store.loadJobs().catch(toastError);
  }, []);

  const auditRegistered = jobTypes.some((t) => t.type === 'site.audit');
  const createNightly = () =>
    setJobDialog({
      mode: 'create',
      prefill: {
        name: auditRegistered ? 'Nightly site audit' : 'Nightly job',
        type: auditRegistered ? 'site.audit' : jobTypes[0]?.type,
        schedule: '0 2 * * *',
        timezone: localTimeZone(),
      },
    });

  return (
    <div className="jobs-page">
      <header className="jobs-header">
        <div>
          <h1>Jobs</h1>
          <p className="jobs-subtitle">Work Groundwork does for you on a schedule, and how each run went.</p>
        </div>
        <div className="jobs-header-actions">
          <NotificationButton />
          {canManage && jobs.length > 0 && (
            <button type="button" className="button button-primary" onClick={() => setJobDialog({ mode: 'create' })}>
              New job
            </button>
          )}
        </div>
      </header>
      {!jobsLoaded ? (
        <p className="loading">Loading…</p>
      ) : jobs.length === 0 ? (
        <EmptyState
          title="No jobs yet"
          action={
            canManage ? (
              <div className="empty-actions">
                <button type="button" className="button button-primary" onClick={createNightly} disabled={jobTypes.length === 0}>
                  {auditRegistered ? 'Create a nightly audit' : 'Create a nightly job'}
                </button>
                <button type="button" className="button" onClick={() => setJobDialog({ mode: 'create' })} disabled={jobTypes.length === 0}>
                  Another kind of job…
                </button>
              </div>
            ) : undefined
          }
        >
          Jobs run recurring work for you, right from this app: audit a client’s site every night, check that production answers, export the
          week’s report, back up your data. Each run is kept with its log and result, and a failure tells you once.
          {!canManage && ' Owners and admins of this workspace create them.'}
        </EmptyState>
      ) : (
        <>
          <ul className="job-list" aria-label="Jobs">
            {jobs.map((job) => (
              <JobRow key={job.id} job={job} selected={job.id === selectedJobId} />
            ))}
          </ul>
          {selected ? (
            <JobDetail key={selected.id} job={selected} />
          ) : selectedJobId ? (
            <p className="hint">That job no longer exists (it may have been deleted on another device).</p>
          ) : (
            <p className="hint jobs-pick">Pick a job to see its runs.</p>
          )}
        </>
      )}
    </div>
  );
}

/** Browser notifications for failed jobs: asked for only when the person presses this (never on load). */
function NotificationButton() {
  const [permission, setPermission] = useState<NotificationPermissionState>(notificationPermission);
  if (permission === 'unsupported' || permission === 'granted') return null;
  if (permission === 'denied') return <span className="hint">Notifications are blocked for this page in the browser.</span>;
  return (
    <button type="button" className="button" onClick={() => askNotificationPermission().then(setPermission, toastError)}>
      Notify me when a job fails
    </button>
  );
}

