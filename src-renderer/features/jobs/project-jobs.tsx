import { useAppStore } from '../../store/app-store';
import { jobStatusLabels } from './job-format';

/** A project's jobs (a client's nightly audit) on its page: their last status, each a way to its runs. */
export function ProjectJobs({ projectId }: { projectId: string }) {
  const jobs = useAppStore((s) => s.jobs);
  const openJobs = useAppStore((s) => s.openJobs);
  const own = jobs.filter((j) => j.projectId === projectId);
  if (own.length === 0) return null;
  return (
    <nav className="project-jobs" aria-label="Jobs of this project">
      <span className="project-jobs-label">Jobs</span>
      <ul>
        {own.map((job) => (
          <li key={job.id}>
            <button type="button" className="link-button" onClick={() => openJobs(job.id)}>
              {job.name}
            </button>{' '}
            {job.lastStatus ? (
              <span className={`job-status job-status-${job.lastStatus}`}>{jobStatusLabels[job.lastStatus]}</span>
            ) : (
              <span className="hint">{job.enabled ? 'not run yet' : 'paused'}</span>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
