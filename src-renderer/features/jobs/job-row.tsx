import { useEffect, useRef, useState } from 'react';
import type { Job } from '../../../src-main/contract';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { MenuButton, type MenuItem } from '../../components/menu-button';
import { toastError, toastInfo } from '../../components/toasts';
import { api } from '../../api/connection';
import { useAppStore } from '../../store/app-store';
import { selectCanManageJobs, selectCanRunJobs } from '../../store/jobs-slice';
import { formatInZone, isUnfinished, jobStatusLabels, runnerDevice, runRequestProgress, scheduleInWords, successRate, type SentRunRequest } from './job-format';

/** One job in the list: what it is, when it runs, how it has gone, and its controls. */
export function JobRow({ job, selected }: { job: Job; selected: boolean }) {
  const typeTitle = useAppStore((s) => s.jobTypes.find((t) => t.type === job.type)?.title ?? job.type);
  const project = useAppStore((s) => (job.projectId ? s.projects.find((p) => p.id === job.projectId) : undefined));
  const executions = useAppStore((s) => s.executionsByJob[job.id]);
  const canManage = useAppStore(selectCanManageJobs);
  const canRun = useAppStore(selectCanRunJobs);
  const store = useAppStore.getState;
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  // The switch moves at once; the job's own state follows when the core answers (or it moves back).
  const [pausing, setPausing] = useState<boolean | null>(null);
  // Run now pressed here for a job another device runs: followed until the runner's summary comes back.
  const [sent, setSent] = useState<SentRunRequest | null>(null);
  const progress = sent ? runRequestProgress(job, sent) : null;
  const announced = useRef<string | null>(null);
  const awaited = progress && (progress.state === 'waiting' || progress.state === 'running') ? progress.state : null;

  useEffect(() => {
    if (!useAppStore.getState().executionsByJob[job.id]) useAppStore.getState().loadExecutions(job.id).catch(toastError);
  }, [job.id]);

  const rate = executions ? successRate(executions) : null;
  const running = executions?.find(isUnfinished);
  const words = scheduleInWords(job.schedule) ?? job.schedule;
  const status = running ? running.status : job.lastStatus;

  const act = (work: () => Promise<unknown>) => async () => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      toastError(error);
    } finally {
      setBusy(false);
    }
  };
  const runNow = act(async () => {
    const result = await store().runJobNow(job.id);
    if ('requested' in result) {
      setSent({ ...result.requested, lastRunAtBefore: job.lastRunAt });
      return;
    }
    if (result.execution.status === 'skipped') toastInfo(`${job.name} is already running: this run was skipped.`);
    store().openJobs(job.id);
  });
  // The outcome, once per request, when the runner's summary reaches this device.
  useEffect(() => {
    if (!sent || !progress || announced.current === sent.id) return;
    if (progress.state === 'skipped') toastInfo(`${job.name} was already running on ${runnerDevice(sent.runner)}: this request was skipped.`);
    else if (progress.state === 'ended') toastInfo(`${job.name} ran on ${runnerDevice(sent.runner)}: ${jobStatusLabels[progress.status]}.`);
    else return;
    announced.current = sent.id;
  }, [sent, progress, job.name]);

  const togglePaused = () => {
    const paused = job.enabled;
    setPausing(paused);
    void act(() => store().setJobPaused(job.id, paused))().finally(() => setPausing(null));
  };

  const menu: MenuItem[] = [
    { label: 'Edit job…', onSelect: () => store().setJobDialog({ mode: 'edit', jobId: job.id }) },
    ...(!job.runsHere
      ? [{ label: 'Run on this device', onSelect: () => void act(() => api.jobs.takeOver({ id: job.id }).then(() => store().loadJobs()))() }]
      : []),
    { label: 'Delete job…', danger: true, onSelect: () => setConfirmDelete(true) },
  ];

  return (
    <li className={selected ? 'job-row job-row-selected' : 'job-row'}>
      <div className="job-row-main">
        <button type="button" className="job-name" aria-current={selected ? 'true' : undefined} onClick={() => store().openJobs(job.id)}>
          {job.name}
        </button>
        <span className="job-type">{typeTitle}</span>
        {project && <span className="job-project">{project.name}</span>}
      </div>
      <dl className="job-facts">
        <div>
          <dt>Schedule</dt>
          <dd title={`${job.schedule} (${job.timezone})`}>
            {words} <span className="hint">({job.timezone})</span>
          </dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd>{!job.enabled ? 'Paused' : job.nextRunAt ? <time dateTime={job.nextRunAt}>{formatInZone(job.nextRunAt, job.timezone)}</time> : '—'}</dd>
        </div>
        <div>
          <dt>Last status</dt>
          <dd>{status ? <span className={`job-status job-status-${status}`}>{jobStatusLabels[status]}</span> : 'Not run yet'}</dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd title={rate ? `${Math.round(rate.rate * rate.of)} of the last ${rate.of} runs succeeded` : undefined}>{rate ? `${Math.round(rate.rate * 100)}%` : '—'}</dd>
        </div>
      </dl>
      <div className="job-row-actions">
        {sent && awaited ? (
          <span className="hint" role="status" title={`Runner: replica ${sent.runner}`}>
            {awaited === 'waiting' ? `Run requested — runs on ${runnerDevice(sent.runner)}` : `Running on ${runnerDevice(sent.runner)}…`}
          </span>
        ) : (
          !job.runsHere && <span className="hint" title={`Runner: replica ${job.runner}`}>Runs on another device</span>
        )}
        {canManage && (
          <label className="switch">
            <input type="checkbox" role="switch" checked={pausing ?? !job.enabled} disabled={busy} onChange={togglePaused} aria-label={`Paused: ${job.name}`} />
            <span>Paused</span>
          </label>
        )}
        {!canManage && !job.enabled && <span className="hint">Paused</span>}
        {canRun && (
          <button
            type="button"
            className="button"
            disabled={busy || awaited === 'waiting'}
            title={job.runsHere ? undefined : 'It runs on another device: that device runs it when the request reaches it.'}
            onClick={runNow}
            aria-label={`Run now: ${job.name}`}
          >
            Run now
          </button>
        )}
        {canManage && <MenuButton label={`Options for ${job.name}`} items={menu} />}
      </div>
      {confirmDelete && (
        <ConfirmDialog title={`Delete ${job.name}?`} confirmLabel="Delete job" danger onConfirm={() => store().deleteJob(job.id)} onClose={() => setConfirmDelete(false)}>
          It stops running for everyone in this workspace. Its run history on this device goes with it.
        </ConfirmDialog>
      )}
    </li>
  );
}
