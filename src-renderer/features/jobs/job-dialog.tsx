import { useMemo, useState, type FormEvent } from 'react';
import { jobCatchUpPolicies, type InputOf, type Job, type JobCatchUp } from '../../../src-main/contract';
import { Dialog } from '../../components/dialog';
import { fieldErrors } from '../../components/field-errors';
import { FormField } from '../../components/form-field';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import type { JobDraftPrefill } from '../../store/jobs-slice';
import { formatInZone, isKnownTimeZone, localTimeZone, schedulePresets, scheduleInWords } from './job-format';
import { typeForm } from './job-type-forms';
import { paramErrors } from './param-errors';
import { useSchedulePreview } from './schedule-preview';

const catchUpLabels: Record<JobCatchUp, string> = {
  skip: 'Skip missed runs',
  'run-once': 'Run once after missed runs',
};

interface Draft {
  name: string;
  type: string;
  projectId: string;
  schedule: string;
  timezone: string;
  maxAttempts: string;
  backoffSeconds: string;
  timeoutMinutes: string;
  catchUp: JobCatchUp;
  /** The type's form draft (job-type-forms.tsx). */
  params: unknown;
}

function toDraft(job: Job | undefined, prefill: JobDraftPrefill | undefined, fallbackType: string): Draft {
  const type = job?.type ?? prefill?.type ?? fallbackType;
  const form = typeForm(type);
  const params = job?.params ?? prefill?.params;
  return {
    name: job?.name ?? prefill?.name ?? '',
    type,
    projectId: job?.projectId ?? prefill?.projectId ?? '',
    schedule: job?.schedule ?? prefill?.schedule ?? '0 2 * * *',
    timezone: job?.timezone ?? prefill?.timezone ?? localTimeZone(),
    maxAttempts: String(job?.retry.maxAttempts ?? 1),
    backoffSeconds: String(job?.retry.backoffSeconds ?? 60),
    timeoutMinutes: String(Math.max(1, Math.round((job?.timeoutSeconds ?? 3600) / 60))),
    catchUp: job?.catchUp ?? 'skip',
    params: params === undefined ? form.defaults() : form.fromParams(params),
  };
}

type JobFields = Omit<InputOf<'jobs', 'create'>, 'workspaceId'>;

const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

export function JobDialog({ job, prefill, onClose }: { job?: Job; prefill?: JobDraftPrefill; onClose(): void }) {
  const jobTypes = useAppStore((s) => s.jobTypes);
  const projects = useAppStore((s) => s.projects);
  const createJob = useAppStore((s) => s.createJob);
  const updateJob = useAppStore((s) => s.updateJob);
  const openJobs = useAppStore((s) => s.openJobs);
  const [draft, setDraft] = useState<Draft>(() => toDraft(job, prefill, jobTypes[0]?.type ?? ''));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [paramProblems, setParamProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const preview = useSchedulePreview(draft.schedule, draft.timezone);
  const form = typeForm(draft.type);
  const words = scheduleInWords(draft.schedule);
  // A type the core does not list (a job from a newer build) stays selectable for its own job.
  const typeOptions = useMemo(
    () => (draft.type && !jobTypes.some((t) => t.type === draft.type) ? [...jobTypes, { type: draft.type, title: `${draft.type} (not in this version)` }] : jobTypes),
    [jobTypes, draft.type],
  );
  const patch = (next: Partial<Draft>) => setDraft((d) => ({ ...d, ...next }));
  const changeType = (type: string) => {
    // Another type's params mean nothing to this one: start from its defaults.
    patch({ type, params: typeForm(type).defaults() });
    setParamProblems({});
  };

  const scheduleError = errors.schedule ?? (preview.state === 'invalid' ? preview.errors.schedule : undefined);
  const timezoneError = errors.timezone ?? (preview.state === 'invalid' ? preview.errors.timezone : undefined) ?? (isKnownTimeZone(draft.timezone) ? undefined : 'Not a time zone this browser knows; use a name like Europe/Berlin');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const own: Record<string, string> = {};
    if (!draft.name.trim()) own.name = "Name can't be empty";
    if (!draft.type) own.type = 'Choose a job type';
    const maxAttempts = Number(draft.maxAttempts);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) own.retry = 'Attempts must be a whole number from 1 to 10';
    const backoffSeconds = Number(draft.backoffSeconds);
    if (!Number.isInteger(backoffSeconds) || backoffSeconds < 1 || backoffSeconds > 86_400) own.retry ??= 'Wait before a retry must be from 1 to 86400 seconds';
    const timeoutMinutes = Number(draft.timeoutMinutes);
    if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 1 || timeoutMinutes > 10_080) own.timeoutSeconds = 'Timeout must be a whole number of minutes from 1 to 10080 (a week)';
    const params = form.toParams(draft.params);
    setErrors(own);
    setParamProblems('errors' in params ? params.errors : {});
    if (Object.keys(own).length || 'errors' in params || scheduleError || timezoneError) return;

    const fields: JobFields = {
      name: draft.name.trim(),
      type: draft.type,
      projectId: draft.projectId || null,
      schedule: draft.schedule.trim(),
      timezone: draft.timezone.trim(),
      retry: { maxAttempts, backoffSeconds },
      timeoutSeconds: timeoutMinutes * 60,
      catchUp: draft.catchUp,
      params: params.params as JobFields['params'],
    };
    setBusy(true);
    try {
      if (job) {
        // Only what the person changed: a teammate's edit of another field meanwhile stays.
        const changed = Object.fromEntries(Object.entries(fields).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify((job as unknown as Record<string, unknown>)[key] ?? null)));
        await updateJob({ id: job.id, ...changed });
      } else {
        const created = await createJob(fields);
        openJobs(created.id);
      }
      onClose();
    } catch (error) {
      const byField = fieldErrors(error);
      const byParam = paramErrors(error, form.paramKeys);
      delete byField.params;
      setErrors(byField);
      setParamProblems(byParam);
      if (Object.keys(byField).length === 0 && Object.keys(byParam).length === 0) toastError(error);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={job ? `Edit job: ${job.name}` : 'New job'}
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="job-form" className="button button-primary" disabled={busy || typeOptions.length === 0}>
            {job ? 'Save job' : 'Create job'}
          </button>
        </>
      }
    >
      <form id="job-form" className="job-form" onSubmit={submit} noValidate>
        {errors._form && (
          <p className="form-error" role="alert">
            {errors._form}
          </p>
        )}
        <div className="grid-2">
          <FormField label="Name" error={errors.name}>
            {(control) => <input {...control} maxLength={120} value={draft.name} placeholder="Nightly audit" onChange={(e) => patch({ name: e.target.value })} />}
          </FormField>
          <FormField label="Type" error={errors.type} hint={typeOptions.length === 0 ? 'No job types are available in this version of Groundwork.' : undefined}>
            {(control) => (
              <select {...control} value={draft.type} onChange={(e) => changeType(e.target.value)} disabled={typeOptions.length === 0}>
                {typeOptions.map((t) => (
                  <option key={t.type} value={t.type}>
                    {t.title}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
        <FormField label="Project" hint="A job of a project shows on that project's page too." error={errors.projectId}>
          {(control) => (
            <select {...control} value={draft.projectId} onChange={(e) => patch({ projectId: e.target.value })}>
              <option value="">None (the whole workspace)</option>
              {projects
                .filter((p) => !p.archivedAt || p.id === draft.projectId)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
            </select>
          )}
        </FormField>

        <fieldset className="job-schedule">
          <legend>Schedule</legend>
          <div className="preset-row" role="group" aria-label="Schedule presets">
            {schedulePresets.map((preset) => (
              <button
                key={preset.label}
                type="button"
                className="chip-button"
                aria-pressed={draft.schedule.trim() === preset.schedule}
                onClick={() => patch({ schedule: preset.schedule })}
              >
                {preset.label}
              </button>
            ))}
          </div>
          <div className="grid-2">
            <FormField label="Cron schedule" hint="minute hour day-of-month month day-of-week" error={scheduleError}>
              {(control) => <input {...control} className="code-input" spellCheck={false} maxLength={200} value={draft.schedule} onChange={(e) => patch({ schedule: e.target.value })} />}
            </FormField>
            <FormField label="Time zone" error={timezoneError}>
              {(control) => <input {...control} list="job-time-zones" spellCheck={false} maxLength={64} value={draft.timezone} onChange={(e) => patch({ timezone: e.target.value })} />}
            </FormField>
          </div>
          <datalist id="job-time-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <div className="schedule-preview" aria-live="polite" aria-label="Schedule preview">
            {preview.state === 'ok' ? (
              <>
                <p className="schedule-words">{words ?? draft.schedule}</p>
                <p className="hint">Next runs ({draft.timezone}):</p>
                <ol className="next-runs" aria-label="Next runs">
                  {preview.nextRuns.map((run) => (
                    <li key={run}>
                      <time dateTime={run}>{formatInZone(run, draft.timezone)}</time>
                    </li>
                  ))}
                </ol>
              </>
            ) : preview.state === 'loading' ? (
              <p className="hint">Working out the next runs…</p>
            ) : preview.state === 'unavailable' ? (
              <p className="hint">{preview.message}</p>
            ) : (
              <p className="hint">Fix the schedule to see when it runs.</p>
            )}
          </div>
        </fieldset>

        <fieldset className="job-params">
          <legend>What it does</legend>
          {paramProblems._params && (
            <p className="form-error" role="alert">
              {paramProblems._params}
            </p>
          )}
          <form.Fields draft={draft.params} onChange={(params) => patch({ params })} errors={paramProblems} jobProjectId={draft.projectId || null} />
        </fieldset>

        <fieldset className="job-policies">
          <legend>When things go wrong</legend>
          <div className="grid-3">
            <FormField label="Attempts" hint="1 means no retry." error={errors.retry}>
              {(control) => <input {...control} type="number" min={1} max={10} value={draft.maxAttempts} onChange={(e) => patch({ maxAttempts: e.target.value })} />}
            </FormField>
            <FormField label="First retry after (seconds)" hint="Doubles with each retry.">
              {(control) => <input {...control} type="number" min={1} max={86400} value={draft.backoffSeconds} onChange={(e) => patch({ backoffSeconds: e.target.value })} />}
            </FormField>
            <FormField label="Timeout (minutes)" error={errors.timeoutSeconds}>
              {(control) => <input {...control} type="number" min={1} max={10080} value={draft.timeoutMinutes} onChange={(e) => patch({ timeoutMinutes: e.target.value })} />}
            </FormField>
          </div>
          <FormField label="Missed runs" hint="When the app was closed or the computer asleep at a run time. Never more than one catch-up run." error={errors.catchUp}>
            {(control) => (
              <select {...control} value={draft.catchUp} onChange={(e) => patch({ catchUp: e.target.value as JobCatchUp })}>
                {jobCatchUpPolicies.map((p) => (
                  <option key={p} value={p}>
                    {catchUpLabels[p]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </fieldset>
      </form>
    </Dialog>
  );
}
