import { useState } from 'react';
import { projectStatuses, type Deliverable, type InputOf, type Project, type ProjectStatus } from '../../../src-main/contract';
import { ChipInput } from '../../components/chip-input';
import { DateField } from '../../components/date-field';
import { errorsOrToast } from '../../components/field-errors';
import { FormField } from '../../components/form-field';
import { formatDay, plural, statusLabels, todayDay } from '../../components/format';
import { LongTextField } from '../../components/long-text-field';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';

type ProjectPatch = Omit<InputOf<'projects', 'update'>, 'id'>;

const dayMs = 86_400_000;
/** Whole days from `from` to `to` (YYYY-MM-DD), as calendar days: no clock or time zone in it. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);

/** "12 days left", "Ends today", "3 days past the end", "Starts in 4 days" — or null without dates. */
export function scheduleText(project: Pick<Project, 'startDate' | 'endDate'>, today: string): string | null {
  if (project.startDate && today < project.startDate) return `Starts in ${plural(daysBetween(today, project.startDate), 'day')}`;
  if (!project.endDate) return null;
  const left = daysBetween(today, project.endDate);
  if (left > 0) return `${plural(left, 'day')} left`;
  if (left === 0) return 'Ends today';
  return `${plural(-left, 'day')} past the end`;
}

/**
 * The project at a glance, editable where it shows: status, client, dates with what is left,
 * tasks done, deliverables, tags, description and notes. Each change sends only its own field;
 * description and notes go as edits of the text they were typed on (LongTextField), so they merge
 * with a teammate typing at the same time.
 */
export function ProjectOverview({ project }: { project: Project }) {
  const updateProject = useAppStore((s) => s.updateProject);
  const canEdit = useAppStore(selectCanEdit);
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const today = todayDay();

  const save = (patch: ProjectPatch) =>
    updateProject({ id: project.id, ...patch }).then(
      () => setErrors((e) => Object.fromEntries(Object.entries(e).filter(([field]) => !(field in patch)))),
      (error) => setErrors((e) => ({ ...e, ...errorsOrToast(error) })),
    );

  const done = project.deliverables.filter((d) => d.done).length;
  const schedule = scheduleText(project, today);
  const setDeliverables = (deliverables: Deliverable[]) => save({ deliverables });

  return (
    <section className="project-overview" aria-label="Project overview">
      <div className="overview-summary">
        <button type="button" className="button button-ghost overview-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'} Overview
        </button>
        <span className={`status-pill status-${project.status}`}>{statusLabels[project.status]}</span>
        {project.clientName && <span>Client: {project.clientName}</span>}
        {(project.startDate || project.endDate) && (
          <span>
            {project.startDate ? formatDay(project.startDate) : '…'} – {project.endDate ? formatDay(project.endDate) : '…'}
          </span>
        )}
        {schedule && <span className={schedule.includes('past') ? 'overview-late' : undefined}>{schedule}</span>}
        <span className="overview-progress">
          <progress max={Math.max(project.taskCount, 1)} value={project.doneTaskCount} aria-label="Tasks done" />
          {project.doneTaskCount}/{project.taskCount} tasks done
        </span>
        {project.deliverables.length > 0 && (
          <span>
            {done}/{project.deliverables.length} deliverables
          </span>
        )}
        {project.tags.map((tag) => (
          <span key={tag} className="tag-chip">
            {tag}
          </span>
        ))}
      </div>
      {open && (
        <fieldset className="overview-body" disabled={!canEdit || Boolean(project.archivedAt)}>
          <div className="overview-fields">
            <FormField label="Status">
              {(control) => (
                <select {...control} value={project.status} onChange={(e) => save({ status: e.target.value as ProjectStatus })}>
                  {projectStatuses.map((s) => (
                    <option key={s} value={s}>
                      {statusLabels[s]}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <ClientField key={project.clientName} value={project.clientName} error={errors.clientName} onSave={(clientName) => save({ clientName })} />
            <DateField label="Start date" field="startDate" value={project.startDate} error={errors.startDate} onCommit={(startDate) => save({ startDate })} />
            <DateField label="End date" field="endDate" value={project.endDate} error={errors.endDate} onCommit={(endDate) => save({ endDate })} />
          </div>
          <fieldset className="field">
            <legend>Deliverables</legend>
            <ul className="checklist">
              {project.deliverables.map((d) => (
                <li key={d.id}>
                  <input
                    type="checkbox"
                    checked={d.done}
                    aria-label={`Done: ${d.text}`}
                    onChange={(e) => setDeliverables(project.deliverables.map((x) => (x.id === d.id ? { ...x, done: e.target.checked } : x)))}
                  />
                  <span className={d.done ? 'checklist-text checklist-done' : 'checklist-text'}>{d.text}</span>
                  <button type="button" className="icon-button" aria-label={`Remove deliverable ${d.text}`} onClick={() => setDeliverables(project.deliverables.filter((x) => x.id !== d.id))}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
            <NewDeliverable onAdd={(text) => save({ deliverables: [...project.deliverables, { text, done: false }] })} />
            {errors.deliverables && (
              <span className="field-error" role="alert">
                {errors.deliverables}
              </span>
            )}
          </fieldset>
          <div className="field">
            <span>Tags</span>
            <ChipInput label="Tags" values={project.tags} onChange={(tags) => save({ tags })} placeholder="Add tag" />
          </div>
          <div className="overview-texts">
            <LongTextField label="Description" value={project.description} rows={4} maxLength={20_000} onSave={(description) => save({ description })} />
            <LongTextField label="Notes" value={project.notes} rows={4} maxLength={100_000} onSave={(notes) => save({ notes })} />
          </div>
        </fieldset>
      )}
    </section>
  );
}

/** The client: saved on blur or Enter, like the task title. */
function ClientField({ value, error, onSave }: { value: string; error?: string; onSave(value: string): void }) {
  const [draft, setDraft] = useState(value);
  const commit = () => draft.trim() !== value && onSave(draft.trim());
  return (
    <FormField label="Client / contact" error={error}>
      {(control) => (
        <input
          {...control}
          value={draft}
          maxLength={200}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
        />
      )}
    </FormField>
  );
}

function NewDeliverable({ onAdd }: { onAdd(text: string): void }) {
  const [text, setText] = useState('');
  return (
    <input
      className="checklist-add"
      value={text}
      maxLength={500}
      aria-label="New deliverable"
      placeholder="Add a deliverable and press Enter"
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' || !text.trim()) return;
        e.preventDefault();
        onAdd(text.trim());
        setText('');
      }}
    />
  );
}
