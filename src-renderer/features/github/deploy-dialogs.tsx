import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { GithubAction, GithubDeployment, GithubWorkflow, GithubWorkflowRun } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { Dialog } from '../../components/dialog';
import { fieldErrors } from '../../components/field-errors';
import { FormField } from '../../components/form-field';
import { errorText, InlineError } from '../../components/inline-error';
import { useNow } from '../../components/use-now';
import { useAppStore } from '../../store/app-store';
import { ActionStatus } from './action-status';
import { CodeList } from './code-list';
import { deploymentRow, runRow } from './code-rows';

/** A failed call's messages: by field where the core named one, else for the whole form. */
function problems(error: unknown): Record<string, string> {
  const byField = fieldErrors(error);
  return Object.keys(byField).length > 0 ? byField : { _form: errorText(error) };
}

/**
 * The shell both deploy dialogs share: the form, its send button, and once sent the action's
 * live state (done with its link, queued while GitHub is unreachable, failed with GitHub's words).
 */
function ActionDialog({
  title,
  submitLabel,
  onClose,
  onSubmit,
  action,
  formError,
  canSubmit = true,
  children,
  after,
}: {
  title: string;
  submitLabel: string;
  onClose(): void;
  onSubmit(): Promise<void>;
  action: GithubAction | null;
  formError?: string;
  /** False while something the form needs is missing (no workflow to pick). */
  canSubmit?: boolean;
  children: ReactNode;
  after?: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onSubmit();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose} wide>
      <form className="stack" onSubmit={submit} aria-label={title}>
        <fieldset className="stack plain-fieldset" disabled={busy || action !== null}>
          {children}
        </fieldset>
        {formError && <InlineError>{formError}</InlineError>}
        {action && (
          <div role="status" className="action-result">
            <ActionStatus actionId={action.id} />
          </div>
        )}
        {after}
        <div className="row-end">
          <button type="button" className="button" onClick={onClose}>
            {action ? 'Close' : 'Cancel'}
          </button>
          {!action && (
            <button type="submit" className="button button-primary" disabled={busy || !canSubmit}>
              {busy ? 'Sending…' : submitLabel}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/** How often an open dialog re-syncs while what it started runs: unchanged lists are 304s (no quota). */
const followEveryMs = 10_000;

/**
 * Follows what a sent action started, live: while the dialog is open and `running`, the project's
 * repos are synced every few seconds, and the repo view (and so the dialog's runs) re-reads on
 * each sync. GitHub answers a dispatch without its run, so there is nothing more direct to watch.
 */
function useFollow(projectId: string, running: boolean) {
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void api.github.syncNow({ projectId }).catch(() => undefined), followEveryMs);
    return () => clearInterval(timer);
  }, [projectId, running]);
}

/** "Run workflow…": a `workflow_dispatch` workflow of the repo on a ref, with its inputs as key/value rows. */
export function RunWorkflowDialog({
  projectId,
  repo,
  defaultRef,
  runs,
  onClose,
}: {
  projectId: string;
  repo: string;
  defaultRef: string;
  runs: GithubWorkflowRun[];
  onClose(): void;
}) {
  const put = useAppStore((s) => s.putGithubAction);
  const [workflows, setWorkflows] = useState<GithubWorkflow[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [workflow, setWorkflow] = useState('');
  const [ref, setRef] = useState(defaultRef);
  const [inputs, setInputs] = useState<{ key: string; value: string }[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [action, setAction] = useState<GithubAction | null>(null);
  const now = useNow();

  useEffect(() => {
    api.github.workflows({ repo }).then(
      (found) => {
        setWorkflows(found);
        setWorkflow((chosen) => chosen || (found[0]?.file ?? ''));
      },
      (error: unknown) => setListError(errorText(error)),
    );
  }, [repo]);

  const submit = async () => {
    setErrors({});
    try {
      const filled = inputs.filter((row) => row.key.trim() !== '');
      const sent = await api.github.dispatchWorkflow({
        repo,
        workflow,
        ref: ref.trim(),
        ...(filled.length > 0 ? { inputs: Object.fromEntries(filled.map((row) => [row.key.trim(), row.value])) } : {}),
      });
      put(sent);
      setAction(sent);
    } catch (error) {
      setErrors(problems(error));
    }
  };

  const chosen = workflows?.find((w) => w.file === workflow);
  // GitHub answers a dispatch without the run it starts: the run shows up in the repo's runs at the next sync.
  // A minute of slack: GitHub's clock and this machine's differ.
  const since = action ? new Date(action.createdAt).getTime() - 60_000 : 0;
  const started = action && chosen ? runs.filter((r) => r.event === 'workflow_dispatch' && r.name === chosen.name && new Date(r.createdAt).getTime() >= since) : [];
  // Followed until the run it started has finished (or the dialog closes).
  useFollow(projectId, action !== null && (started.length === 0 || started.some((r) => r.status !== 'completed')));
  return (
    <ActionDialog
      title={`Run workflow in ${repo}`}
      submitLabel="Run workflow"
      onClose={onClose}
      onSubmit={submit}
      action={action}
      formError={errors._form ?? errors.inputs}
      canSubmit={workflow !== ''}
      after={action && <CodeList label="Started runs" rows={started.map((r) => runRow(r, now))} empty="The run shows up here after the next sync." showTasks={false} />}
    >
      {listError && <InlineError label="The workflows could not be read">{listError}</InlineError>}
      <FormField label="Workflow" error={errors.workflow}>
        {(control) => (
          <select {...control} value={workflow} onChange={(e) => setWorkflow(e.target.value)} disabled={!workflows || workflows.length === 0}>
            {workflows === null && <option value="">{listError ? 'Not available' : 'Reading…'}</option>}
            {workflows?.length === 0 && <option value="">No workflow can be run by hand (workflow_dispatch)</option>}
            {workflows?.map((w) => (
              <option key={w.id} value={w.file}>
                {w.name} ({w.file})
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label="Branch or tag" error={errors.ref}>
        {(control) => <input {...control} spellCheck={false} maxLength={250} value={ref} onChange={(e) => setRef(e.target.value)} />}
      </FormField>
      <KeyValueRows rows={inputs} onChange={setInputs} />
    </ActionDialog>
  );
}

/** The workflow's inputs: a name and a value per row. */
function KeyValueRows({ rows, onChange }: { rows: { key: string; value: string }[]; onChange(rows: { key: string; value: string }[]): void }) {
  const set = (index: number, patch: Partial<{ key: string; value: string }>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="key-values">
      <legend>Inputs</legend>
      {rows.length === 0 && <p className="hint">None. Add the inputs the workflow asks for, if any.</p>}
      {rows.map((row, i) => (
        <div key={i} className="key-value-row">
          <input aria-label={`Input ${i + 1} name`} placeholder="name" spellCheck={false} maxLength={100} value={row.key} onChange={(e) => set(i, { key: e.target.value })} />
          <input aria-label={`Input ${i + 1} value`} placeholder="value" maxLength={10_000} value={row.value} onChange={(e) => set(i, { value: e.target.value })} />
          <button type="button" className="button" aria-label={`Remove input ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="button" onClick={() => onChange([...rows, { key: '', value: '' }])}>
          Add input
        </button>
      </div>
    </fieldset>
  );
}

/** "Create deployment…": a deployment of a ref to an environment (GitHub's Deployments API). */
export function CreateDeploymentDialog({
  projectId,
  repo,
  defaultRef,
  deployments,
  onClose,
}: {
  projectId: string;
  repo: string;
  defaultRef: string;
  deployments: GithubDeployment[];
  onClose(): void;
}) {
  const put = useAppStore((s) => s.putGithubAction);
  const [ref, setRef] = useState(defaultRef);
  const [environment, setEnvironment] = useState('production');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [action, setAction] = useState<GithubAction | null>(null);

  const submit = async () => {
    setErrors({});
    try {
      const sent = await api.github.createDeployment({ repo, ref: ref.trim(), environment: environment.trim() });
      put(sent);
      setAction(sent);
    } catch (error) {
      setErrors(problems(error));
    }
  };

  const now = useNow();
  const made = action?.result?.id ? deployments.filter((d) => d.id === action.result!.id) : [];
  // Followed until its status is final (success, failure, error, inactive) or the dialog closes.
  useFollow(projectId, action !== null && (made.length === 0 || made.some((d) => !['success', 'failure', 'error', 'inactive'].includes(d.state ?? ''))));
  return (
    <ActionDialog
      title={`Create deployment in ${repo}`}
      submitLabel="Create deployment"
      onClose={onClose}
      onSubmit={submit}
      action={action}
      formError={errors._form}
      after={action && <CodeList label="The deployment" rows={made.map((d) => deploymentRow(d, now))} empty="Its status shows up here once GitHub has it." showTasks={false} />}
    >
      <FormField label="Branch, tag or commit" error={errors.ref}>
        {(control) => <input {...control} spellCheck={false} maxLength={250} value={ref} onChange={(e) => setRef(e.target.value)} />}
      </FormField>
      <FormField label="Environment" error={errors.environment}>
        {(control) => <input {...control} maxLength={255} value={environment} onChange={(e) => setEnvironment(e.target.value)} />}
      </FormField>
    </ActionDialog>
  );
}
