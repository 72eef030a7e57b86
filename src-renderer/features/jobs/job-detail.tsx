import { useEffect, useState } from 'react';
import type { Job } from '../../../src-main/contract';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { BackupsPanel } from '../backups/backups-panel';
import { ExecutionDetail } from './execution-detail';
import { formatDuration, formatLocal, jobStatusLabels, jobTriggerLabels } from './job-format';
import { ScoreTrend } from './score-trend';

/** A job's runs on this device, newest first, and the one picked (its progress, log and result). */
export function JobDetail({ job }: { job: Job }) {
  const executions = useAppStore((s) => s.executionsByJob[job.id]);
  const [pickedId, setPickedId] = useState<string | null>(null);

  useEffect(() => {
    useAppStore.getState().loadExecutions(job.id).catch(toastError);
  }, [job.id]);

  // The newest run until one is picked, so a run started with Run now shows at once.
  const picked = executions?.find((e) => e.id === pickedId) ?? executions?.[0];

  return (
    <section className="job-detail" aria-label={`Runs of ${job.name}`}>
      <h2>Runs of {job.name}</h2>
      {!job.runsHere && <p className="hint">This job runs on another device: its runs are kept there. Here you see its last status and next run.</p>}
      {job.type === 'site.audit' && executions && <ScoreTrend executions={executions} />}
      {!executions ? (
        <p className="loading">Loading…</p>
      ) : executions.length === 0 ? (
        <p className="hint">No runs yet{job.runsHere ? ': it runs at its next scheduled time, or press Run now.' : '.'}</p>
      ) : (
        <div className="job-runs">
          <table className="execution-table" aria-label="Run history">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Trigger</th>
                <th scope="col">Attempt</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {executions.map((e) => (
                <tr key={e.id} className={e.id === picked?.id ? 'execution-picked' : undefined}>
                  <td>
                    <button type="button" className="execution-pick" aria-current={e.id === picked?.id ? 'true' : undefined} onClick={() => setPickedId(e.id)} aria-label={`${jobStatusLabels[e.status]} run of ${formatLocal(e.startedAt ?? e.queuedAt)}`}>
                      <span className={`job-status job-status-${e.status}`}>{jobStatusLabels[e.status]}</span>
                    </button>
                  </td>
                  <td>{jobTriggerLabels[e.trigger]}</td>
                  <td>{e.attempt}</td>
                  <td>
                    <time dateTime={e.startedAt ?? e.queuedAt}>{formatLocal(e.startedAt ?? e.queuedAt)}</time>
                  </td>
                  <td>{formatDuration(e.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {picked && <ExecutionDetail key={picked.id} job={job} execution={picked} />}
        </div>
      )}
      {job.type === 'backup' && job.runsHere && typeof (job.params as { folder?: unknown }).folder === 'string' && (
        <>
          <h2>Backups in its folder</h2>
          <BackupsPanel workspaceId={job.workspaceId} folder={(job.params as { folder: string }).folder} readAgainOn={executions?.[0]?.finishedAt ?? null} />
        </>
      )}
    </section>
  );
}
