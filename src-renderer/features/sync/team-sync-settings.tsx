import { useId, useRef, useState, type FormEvent } from 'react';
import { isApiError, type InputOf } from '../../../src-main/contract';
import { Dialog } from '../../components/dialog';
import { asSentence, fieldErrors } from '../../components/field-errors';
import { FormField } from '../../components/form-field';
import { toastInfo } from '../../components/toasts';
import { useNow } from '../../components/use-now';
import { useAppStore } from '../../store/app-store';
import { DisplayNameField, useDisplayNameDraft } from '../profile/display-name-field';
import { SyncErrors, SyncSummary } from './sync-indicator';
import { TeamInvitesSection, TeamMembersSection } from './team-members';

type Errors = Record<string, string>;

/**
 * Splits a failed call into messages by field (those the form shows) and one for the whole form.
 * Inside a modal dialog a toast would sit behind the backdrop, so every error is shown in place.
 */
function errorsFor(error: unknown, fields: string[]): Errors {
  const byField = fieldErrors(error);
  // Not only VALIDATION names a field: "publishing needs an owner invite" is FORBIDDEN, about `invite`.
  const named = isApiError(error) ? (error.details as { field?: unknown } | undefined)?.field : undefined;
  if (isApiError(error) && error.code !== 'VALIDATION' && typeof named === 'string' && fields.includes(named)) {
    return { [named]: error.message.startsWith(`${named}: `) ? error.message.slice(named.length + 2) : error.message };
  }
  const out: Errors = {};
  for (const [field, message] of Object.entries(byField)) {
    if (fields.includes(field)) out[field] = message;
    else out._form ??= field === '_form' ? message : `${field}: ${message}`;
  }
  if (Object.keys(out).length === 0) out._form = error instanceof Error ? error.message : String(error);
  return out;
}

function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {asSentence(message)}
    </p>
  );
}

/** Settings → Team sync: the current workspace's status and what can be done about it. */
export function TeamSyncSettings({ onClose }: { onClose(): void }) {
  const status = useAppStore((s) => s.syncStatus);
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.currentWorkspaceId));
  const now = useNow();
  // A new invite shows in the invites list at once.
  const [invitesMade, setInvitesMade] = useState(0);

  if (!status || !workspace) return <p className="loading">Reading the sync status…</p>;
  const local = status.state === 'local';
  const canInvite = !local && (status.role === 'owner' || status.role === 'admin');

  return (
    <div className="stack team-sync">
      <SyncSummary status={status} workspaceName={workspace.name} now={now} />
      {!local && status.errors.length > 0 && <SyncErrors errors={status.errors} now={now} />}
      {!local && <TeamMembersSection workspaceId={workspace.id} />}
      {canInvite && <InviteForm onCreated={() => setInvitesMade((n) => n + 1)} />}
      {canInvite && <TeamInvitesSection workspaceId={workspace.id} refreshKey={invitesMade} />}
      {local && <PublishForm workspaceName={workspace.name} />}
      <JoinForm heading={local ? 'Join a workspace' : 'Join another workspace'} onJoined={onClose} />
      {!local && <LeaveSection workspaceName={workspace.name} onLeftAndDeleted={onClose} />}
    </div>
  );
}

export function JoinForm({ heading, onJoined }: { heading: string; onJoined(): void }) {
  const headingId = useId();
  const joinWorkspace = useAppStore((s) => s.joinWorkspace);
  const clearInvitePrefill = useAppStore((s) => s.clearInvitePrefill);
  // An invite link that opened the desktop app fills the field; joining still takes a click.
  const prefill = useAppStore((s) => s.invitePrefill);
  const [invite, setInvite] = useState(prefill?.invite ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const displayName = useDisplayNameDraft();
  const [appliedPrefill, setAppliedPrefill] = useState(prefill);
  if (prefill !== appliedPrefill) {
    // A link opened while the form is on screen (React's "adjust state on change" pattern).
    setAppliedPrefill(prefill);
    if (prefill) {
      setInvite(prefill.invite);
      setErrors({});
    }
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      // The name first: joining adds this machine as a member under it.
      await displayName.save();
      const workspace = await joinWorkspace(invite);
      clearInvitePrefill();
      onJoined();
      toastInfo(`Joined “${workspace.name}”`);
    } catch (error) {
      setErrors(errorsFor(error, ['invite', 'displayName']));
      setBusy(false);
    }
  };

  return (
    <form className="settings-section" onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId} className="section-heading">
        {heading}
      </h3>
      <p className="hint">
        {prefill && invite === prefill.invite
          ? 'You opened an invite link. Check it is from a teammate you expect, then join: the workspace is copied to this machine and kept in sync.'
          : 'Paste the invite a teammate sent you. The workspace is copied to this machine and kept in sync.'}
      </p>
      <InviteLinkField label="Invite link" value={invite} onChange={setInvite} error={errors.invite} autoFocus={prefill !== null} />
      <DisplayNameField value={displayName.value} onChange={displayName.onChange} error={errors.displayName} />
      <FormError message={errors._form} />
      <div className="row-end">
        <button type="submit" className="button button-primary" disabled={busy || !invite.trim() || !displayName.value.trim()}>
          {busy ? 'Joining…' : 'Join workspace'}
        </button>
      </div>
    </form>
  );
}

/** A pasted `groundwork://join?…` link: monospace, no spell-check or autofill. */
function InviteLinkField(props: { label: string; value: string; onChange(value: string): void; error?: string; autoFocus?: boolean }) {
  return (
    <FormField label={props.label} error={props.error}>
      {(control) => (
        <input
          {...control}
          className="mono"
          value={props.value}
          autoFocus={props.autoFocus}
          data-autofocus={props.autoFocus || undefined}
          placeholder="groundwork://join?relay=…&token=…"
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </FormField>
  );
}

function PublishForm({ workspaceName }: { workspaceName: string }) {
  const headingId = useId();
  const publishWorkspace = useAppStore((s) => s.publishWorkspace);
  const [invite, setInvite] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await publishWorkspace(invite);
      toastInfo(`“${workspaceName}” is now shared through the relay`);
    } catch (error) {
      setErrors(errorsFor(error, ['invite']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="settings-section" onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId} className="section-heading">
        Publish this workspace to a relay
      </h3>
      <p className="hint">
        Paste an owner invite from your relay. “{workspaceName}” and everything in it is uploaded, and you can then invite teammates.
      </p>
      <InviteLinkField label="Owner invite" value={invite} onChange={setInvite} error={errors.invite} />
      <FormError message={errors._form} />
      <div className="row-end">
        <button type="submit" className="button button-primary" disabled={busy || !invite.trim()}>
          {busy ? 'Publishing…' : 'Publish'}
        </button>
      </div>
    </form>
  );
}

type InviteRole = InputOf<'sync', 'createInvite'>['role'];

function InviteForm({ onCreated }: { onCreated(): void }) {
  const headingId = useId();
  const createInvite = useAppStore((s) => s.createInvite);
  const [role, setRole] = useState<InviteRole>('member');
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('7d');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [invite, setInvite] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setInvite(null);
    try {
      setInvite(await createInvite({ role, ...(name.trim() ? { name: name.trim() } : {}), ...(expires.trim() ? { expires: expires.trim() } : {}) }));
      onCreated();
    } catch (error) {
      setErrors(errorsFor(error, ['role', 'name', 'expires']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="settings-section" onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId} className="section-heading">
        Invite a teammate
      </h3>
      <div className="grid-3">
        <FormField label="Role" error={errors.role}>
          {(control) => (
            <select {...control} value={role} onChange={(e) => setRole(e.target.value as InviteRole)}>
              <option value="member">Member — can edit</option>
              <option value="viewer">Viewer — view only</option>
            </select>
          )}
        </FormField>
        <FormField label="Name (optional)" error={errors.name}>
          {(control) => <input {...control} value={name} maxLength={80} placeholder="e.g. Ben" onChange={(e) => setName(e.target.value)} />}
        </FormField>
        <FormField label="Expires after" error={errors.expires} hint="Like 7d, 12h or 30m">
          {(control) => <input {...control} value={expires} placeholder="7d" onChange={(e) => setExpires(e.target.value)} />}
        </FormField>
      </div>
      <FormError message={errors._form} />
      <div className="row-end">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create invite'}
        </button>
      </div>
      {invite && <InviteResult invite={invite} />}
    </form>
  );
}

/** The invite text and a Copy button; where the clipboard is refused, the text is selected instead. */
function InviteResult({ invite }: { invite: string }) {
  const textId = useId();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'selected'>('idle');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(invite);
      setCopyState('copied');
    } catch {
      textRef.current?.focus();
      textRef.current?.select();
      setCopyState('selected');
    }
  };

  return (
    <div className="invite-result">
      <div className="field">
        <label htmlFor={textId}>Invite for your teammate</label>
        <textarea id={textId} ref={textRef} className="mono" readOnly rows={3} value={invite} onFocus={(e) => e.currentTarget.select()} />
      </div>
      <div className="row-end">
        <span className="hint" role="status">
          {copyState === 'copied'
            ? 'Copied. Send it to your teammate; anyone with it can join.'
            : copyState === 'selected'
              ? `Selected — press ${navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl+'}C to copy.`
              : 'Anyone with this invite can join, so send it privately.'}
        </span>
        <button type="button" className="button" onClick={copy}>
          {copyState === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}

function LeaveSection({ workspaceName, onLeftAndDeleted }: { workspaceName: string; onLeftAndDeleted(): void }) {
  const headingId = useId();
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="section-heading">
        Leave workspace
      </h3>
      <p className="hint">Stop syncing “{workspaceName}” with your team. You can keep a local copy to look at or work on alone.</p>
      <div className="row-end">
        <button type="button" className="button button-danger-ghost" onClick={() => setConfirming(true)}>
          Leave workspace…
        </button>
      </div>
      {confirming && <LeaveDialog workspaceName={workspaceName} onClose={() => setConfirming(false)} onLeftAndDeleted={onLeftAndDeleted} />}
    </section>
  );
}

function LeaveDialog({ workspaceName, onClose, onLeftAndDeleted }: { workspaceName: string; onClose(): void; onLeftAndDeleted(): void }) {
  const leaveWorkspace = useAppStore((s) => s.leaveWorkspace);
  const [deleteLocalCopy, setDeleteLocalCopy] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const leave = async () => {
    setBusy(true);
    setError('');
    try {
      await leaveWorkspace(deleteLocalCopy);
      onClose();
      if (deleteLocalCopy) onLeftAndDeleted();
      toastInfo(deleteLocalCopy ? `You left “${workspaceName}” and removed it from this machine` : `You left “${workspaceName}”; your copy stays on this machine`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Leave “${workspaceName}”?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button-danger" disabled={busy} onClick={leave} data-autofocus>
            {busy ? 'Leaving…' : 'Leave workspace'}
          </button>
        </>
      }
    >
      <div className="stack">
        <p>This machine stops syncing with the team. Your teammates keep their copies, and you need a new invite to come back.</p>
        <label className="checkbox-row">
          <input type="checkbox" checked={deleteLocalCopy} onChange={(e) => setDeleteLocalCopy(e.target.checked)} />
          <span>
            Also delete the local copy
            <small className="hint">Removes “{workspaceName}” and all its projects and tasks from this machine.</small>
          </span>
        </label>
        <FormError message={error} />
      </div>
    </Dialog>
  );
}
