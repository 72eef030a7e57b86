import { useMemo, useState, type FormEvent } from 'react';
import { projectKey, projectStatuses, suggestProjectKey, type Deliverable, type InputOf, type Project, type ProjectStatus } from '../../../src-main/contract';
import { ChipInput } from '../../components/chip-input';
import { DateField } from '../../components/date-field';
import { Dialog } from '../../components/dialog';
import { checkField, fieldErrors, plainMessage } from '../../components/field-errors';
import { statusLabels } from '../../components/format';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';

const swatches = ['#6366f1', '#3b82f6', '#06b6d4', '#10b981', '#84cc16', '#f59e0b', '#ef4444', '#ec4899', '#8b5cf6', '#64748b'];

type DraftDeliverable = Omit<Deliverable, 'id'> & { id?: string; localKey: string };

interface Draft {
  name: string;
  key: string;
  description: string;
  status: ProjectStatus;
  clientName: string;
  startDate: string;
  endDate: string;
  deliverables: DraftDeliverable[];
  notes: string;
  tags: string[];
  color: string;
}

let localKeys = 0;
const toDraft = (p?: Project): Draft => ({
  name: p?.name ?? '',
  key: p?.key ?? '',
  description: p?.description ?? '',
  status: p?.status ?? 'planning',
  clientName: p?.clientName ?? '',
  startDate: p?.startDate ?? '',
  endDate: p?.endDate ?? '',
  deliverables: (p?.deliverables ?? []).map((d) => ({ ...d, localKey: `d${localKeys++}` })),
  notes: p?.notes ?? '',
  tags: p?.tags ?? [],
  color: p?.color ?? swatches[Math.floor(Math.random() * swatches.length)]!,
});

type ProjectFields = Omit<InputOf<'projects', 'create'>, 'workspaceId'>;

/**
 * What an edit of `project` changes: only the fields the person changed (a teammate's change to
 * another field meanwhile stays), and long text as an edit of the text the dialog opened with, so
 * what others typed meanwhile merges instead of being overwritten.
 */
function changedFields(project: Project, fields: ProjectFields): Omit<InputOf<'projects', 'update'>, 'id'> {
  const opened = toDraft(project);
  const changed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    const before = field === 'startDate' || field === 'endDate' ? (project[field] ?? null) : (project as unknown as Record<string, unknown>)[field];
    if (JSON.stringify(value) === JSON.stringify(before)) continue;
    changed[field] = field === 'description' || field === 'notes' ? { base: opened[field], value } : value;
  }
  return changed;
}

export function ProjectDialog({ project, onClose }: { project?: Project; onClose(): void }) {
  const createProject = useAppStore((s) => s.createProject);
  const updateProject = useAppStore((s) => s.updateProject);
  const selectProject = useAppStore((s) => s.selectProject);
  const [draft, setDraft] = useState<Draft>(() => toDraft(project));
  // Until the user types a key, it follows the name.
  const [keyTouched, setKeyTouched] = useState(Boolean(project));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [newDeliverable, setNewDeliverable] = useState('');
  // Half-typed dates the date fields refused: the form does not submit past them.
  const [dateProblems, setDateProblems] = useState<Record<string, string | null>>({});
  // Keys other projects of the workspace use (archived ones too: the core refuses those as well).
  const projects = useAppStore((s) => s.projects);
  const takenKeys = useMemo(() => new Set(projects.filter((p) => p.id !== project?.id).map((p) => p.key)), [projects, project?.id]);
  const suggestKey = (name: string) => (name.trim() ? suggestProjectKey(name, (key) => takenKeys.has(key)) : '');
  // Checked as the key is typed, so a taken one is marked before Create is pressed.
  const typedKey = draft.key.trim().toUpperCase();
  const keyProblem = !typedKey
    ? null
    : takenKeys.has(typedKey)
      ? plainMessage('key', { message: `another project already uses the key ${typedKey}` })
      : typedKey.length >= 2
        ? checkField('key', projectKey, typedKey)
        : null;

  const patch = (next: Partial<Draft>) => setDraft((d) => ({ ...d, ...next }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (keyProblem || Object.values(dateProblems).some(Boolean)) return;
    setBusy(true);
    setErrors({});
    const fields = {
      name: draft.name,
      key: draft.key.trim() || undefined, // empty: let the core pick one
      description: draft.description,
      status: draft.status,
      clientName: draft.clientName,
      startDate: draft.startDate || null,
      endDate: draft.endDate || null,
      deliverables: draft.deliverables.map(({ id, text, done }) => (id ? { id, text, done } : { text, done })),
      notes: draft.notes,
      tags: draft.tags,
      color: draft.color,
    };
    try {
      if (project) {
        await updateProject({ id: project.id, ...changedFields(project, fields) });
      } else {
        const created = await createProject(fields);
        selectProject(created.id);
      }
      onClose();
    } catch (error) {
      const byField = fieldErrors(error);
      setErrors(byField);
      if (Object.keys(byField).length === 0) toastError(error);
      setBusy(false);
    }
  };

  const keyError = keyProblem ?? errors.key;
  const err = (field: string) =>
    errors[field] ? (
      <span className="field-error" role="alert">
        {errors[field]}
      </span>
    ) : null;

  return (
    <Dialog title={project ? 'Edit project' : 'New project'} onClose={onClose} wide>
      <form className="project-form" onSubmit={submit} noValidate>
        {errors._form && (
          <p className="form-error" role="alert">
            {errors._form}
          </p>
        )}
        <div className="grid-2">
          <label className="field">
            <span>Name</span>
            <input
              autoFocus
              value={draft.name}
              maxLength={120}
              aria-invalid={Boolean(errors.name)}
              onChange={(e) => patch({ name: e.target.value, ...(keyTouched ? {} : { key: suggestKey(e.target.value) }) })}
            />
            {err('name')}
          </label>
          <div className="field">
            {/* Hint and error sit outside the <label> so they describe the input instead of renaming it. */}
            <label htmlFor="project-key-input">Key</label>
            <input
              id="project-key-input"
              value={draft.key}
              aria-invalid={Boolean(keyError)}
              aria-describedby="project-key-help"
              maxLength={10}
              onChange={(e) => {
                setKeyTouched(true);
                patch({ key: e.target.value.toUpperCase() });
              }}
            />
            <span id="project-key-help">
              {keyError ? (
                <span className="field-error" role="alert">
                  {keyError}
                </span>
              ) : (
                <small className="hint">Prefix of task keys, e.g. {draft.key || 'WEB'}-12</small>
              )}
            </span>
          </div>
        </div>
        <label className="field">
          <span>Description</span>
          <textarea rows={3} maxLength={20_000} value={draft.description} onChange={(e) => patch({ description: e.target.value })} />
          {err('description')}
        </label>
        <div className="grid-2">
          <label className="field">
            <span>Status</span>
            <select value={draft.status} onChange={(e) => patch({ status: e.target.value as ProjectStatus })}>
              {projectStatuses.map((s) => (
                <option key={s} value={s}>
                  {statusLabels[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Client / contact</span>
            <input value={draft.clientName} maxLength={200} onChange={(e) => patch({ clientName: e.target.value })} />
            {err('clientName')}
          </label>
          <DateField
            label="Start date"
            field="startDate"
            value={draft.startDate || null}
            error={errors.startDate}
            onCommit={(startDate) => patch({ startDate: startDate ?? '' })}
            onProblem={(startDate) => setDateProblems((p) => ({ ...p, startDate }))}
          />
          <DateField
            label="End date"
            field="endDate"
            value={draft.endDate || null}
            error={errors.endDate}
            onCommit={(endDate) => patch({ endDate: endDate ?? '' })}
            onProblem={(endDate) => setDateProblems((p) => ({ ...p, endDate }))}
          />
        </div>
        <fieldset className="field">
          <legend>Deliverables</legend>
          <ul className="checklist">
            {draft.deliverables.map((d, index) => (
              <li key={d.localKey}>
                <input
                  type="checkbox"
                  checked={d.done}
                  aria-label={`Done: ${d.text}`}
                  onChange={(e) => patch({ deliverables: draft.deliverables.map((x, i) => (i === index ? { ...x, done: e.target.checked } : x)) })}
                />
                <input
                  className="checklist-text"
                  value={d.text}
                  maxLength={500}
                  aria-label={`Deliverable ${index + 1}`}
                  onChange={(e) => patch({ deliverables: draft.deliverables.map((x, i) => (i === index ? { ...x, text: e.target.value } : x)) })}
                />
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove deliverable ${d.text}`}
                  onClick={() => patch({ deliverables: draft.deliverables.filter((_, i) => i !== index) })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <div className="checklist-add">
            <input
              value={newDeliverable}
              maxLength={500}
              aria-label="New deliverable"
              placeholder="Add a deliverable and press Enter"
              onChange={(e) => setNewDeliverable(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter') return;
                e.preventDefault();
                const text = newDeliverable.trim();
                if (!text) return;
                patch({ deliverables: [...draft.deliverables, { text, done: false, localKey: `d${localKeys++}` }] });
                setNewDeliverable('');
              }}
            />
          </div>
          {err('deliverables')}
        </fieldset>
        <label className="field">
          <span>Notes</span>
          <textarea rows={3} maxLength={100_000} value={draft.notes} onChange={(e) => patch({ notes: e.target.value })} />
          {err('notes')}
        </label>
        <div className="field">
          <span id="project-tags-label">Tags</span>
          <ChipInput label="Tags" values={draft.tags} onChange={(tags) => patch({ tags })} placeholder="Add tag" />
          {err('tags')}
        </div>
        <fieldset className="field">
          <legend>Colour</legend>
          <div className="swatches">
            {swatches.map((c) => (
              <button
                key={c}
                type="button"
                className="swatch"
                style={{ background: c }}
                aria-label={`Colour ${c}`}
                aria-pressed={draft.color === c}
                onClick={() => patch({ color: c })}
              />
            ))}
            <input type="color" aria-label="Custom colour" value={draft.color} onChange={(e) => patch({ color: e.target.value })} />
          </div>
          {err('color')}
        </fieldset>
        <div className="row-end">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {project ? 'Save project' : 'Create project'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
