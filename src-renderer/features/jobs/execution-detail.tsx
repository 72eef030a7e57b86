import { useEffect, useState } from 'react';
import type { Job, JobExecution, JobLogEntry } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { selectCanRunJobs } from '../../store/jobs-slice';
import { isAuditResult } from './audit-findings';
import { AuditResult } from './audit-result';
import { formatDuration, formatLocal, isUnfinished, jobStatusLabels, jobTriggerLabels } from './job-format';
import { BackupResult, DataGenerateResult, HttpCheckResult, JsonResult, ReportExportResult } from './result-views';

/** One run: its state, progress and log while it runs (pushed by the `jobs` event), then its result. */
export function ExecutionDetail({ job, execution }: { job: Job; execution: JobExecution }) {
  const canRun = useAppStore(selectCanRunJobs);
  const unfinished = isUnfinished(execution);
  const [cancelling, setCancelling] = useState(false);
  const progress = execution.progress;
  const percent = progress?.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  const title = `${jobStatusLabels[execution.status]} · ${jobTriggerLabels[execution.trigger]}${execution.attempt > 1 ? ` · attempt ${execution.attempt}` : ''}`;

  const cancel = async () => {
    setCancelling(true);
    try {
      await useAppStore.getState().cancelExecution(execution.id);
    } catch (error) {
      toastError(error);
    } finally {
      setCancelling(false);
    }
  };

  return (
    <article className="execution-detail" aria-label="Run details">
      <header className="execution-header">
        <h3>
          <span className={`job-status job-status-${execution.status}`}>{title}</span>
        </h3>
        <span className="hint">
          {formatLocal(execution.startedAt ?? execution.queuedAt)}
          {execution.durationMs !== null && ` · ${formatDuration(execution.durationMs)}`}
        </span>
        {unfinished && canRun && (
          <button type="button" className="button" onClick={cancel} disabled={cancelling}>
            {cancelling ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </header>
      {unfinished && (
        <div className="execution-progress">
          <progress
            max={percent === null ? undefined : 100}
            value={percent ?? undefined}
            aria-label={percent === null ? 'Progress' : `Progress: ${percent}%`}
          />
          <span className="hint">
            {progress ? `${progress.message ?? ''}${progress.total ? ` (${progress.done} of ${progress.total})` : progress.done ? ` (${progress.done} done)` : ''}` : execution.status === 'queued' ? 'Waiting to start…' : 'Starting…'}
          </span>
        </div>
      )}
      {execution.error && (
        <p className="execution-error" role={unfinished ? undefined : 'note'}>
          {execution.error}
        </p>
      )}
      {execution.status === 'succeeded' && execution.result !== null && <ResultView job={job} execution={execution} />}
      <ExecutionLog execution={execution} />
    </article>
  );
}

function ResultView({ job, execution }: { job: Job; execution: JobExecution }) {
  if (job.type === 'site.audit' && isAuditResult(execution.result)) return <AuditResult executionId={execution.id} result={execution.result} />;
  if (job.type === 'http.check') return <HttpCheckResult result={execution.result} />;
  if (job.type === 'report.export') return <ReportExportResult result={execution.result} />;
  if (job.type === 'backup') return <BackupResult result={execution.result} />;
  if (job.type === 'data.generate') return <DataGenerateResult result={execution.result} />;
  return <JsonResult result={execution.result} />;
}

/**
 * The run's log, read again whenever the run's state or progress changes (each `jobs` event) and
 * every second while it runs: the event carries the progress, not the log lines.
 */
function ExecutionLog({ execution }: { execution: JobExecution }) {
  const [entries, setEntries] = useState<JobLogEntry[] | null>(null);
  const unfinished = isUnfinished(execution);
  useEffect(() => {
    let current = true;
    const read = () =>
      api.jobs.log({ executionId: execution.id }).then(
        (log) => current && setEntries(log),
        (error: unknown) => current && toastError(error),
      );
    void read();
    const timer = unfinished ? setInterval(read, 1000) : undefined;
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [execution.id, execution.status, execution.progress?.done, unfinished]);

  return (
    <details className="execution-log" open={unfinished || undefined}>
      <summary>Log{entries ? ` (${entries.length})` : ''}</summary>
      {entries === null ? (
        <p className="loading">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="hint">Nothing logged{unfinished ? ' yet' : ''}.</p>
      ) : (
        <ol className="log-lines" aria-label="Log" aria-live={unfinished ? 'polite' : undefined}>
          {entries.map((entry, i) => (
            <li key={i} className={`log-line log-${entry.level}`}>
              <time dateTime={entry.at}>{new Date(entry.at).toLocaleTimeString(undefined, { hourCycle: 'h23' })}</time>
              <span className="log-level">{entry.level}</span>
              <span className="log-message">{entry.message}</span>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
