import { useEffect, useState } from 'react';
import type { VercelAccount, VercelProject } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { FormField } from '../../components/form-field';
import { useFormSubmit } from '../../components/use-form-submit';
import { errorText, InlineError } from '../../components/inline-error';
import { toastError, toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';

/**
 * Settings → Vercel: this machine's own connection (a token Vercel checks before it is kept,
 * sealed on this machine, optional team) and the Vercel project linked to the open project
 * (shared with the team: each teammate reads deployments with their own token).
 */
export function VercelSettings() {
  // undefined: not read yet; null: not connected.
  const [account, setAccount] = useState<VercelAccount | null | undefined>(undefined);
  useEffect(() => {
    api.vercel.account().then(setAccount, (error: unknown) => {
      setAccount(null);
      toastError(error);
    });
  }, []);
  return (
    <div className="stack">
      {account === undefined ? (
        <p className="hint">Reading the connection…</p>
      ) : account ? (
        <>
          <Connected account={account} onDisconnected={() => setAccount(null)} />
          <LinkProject />
        </>
      ) : (
        <Connect onConnected={setAccount} />
      )}
    </div>
  );
}

function Connect({ onConnected }: { onConnected(account: VercelAccount): void }) {
  const [token, setToken] = useState('');
  const [teamId, setTeamId] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const { busy, errors, submit } = useFormSubmit(async () => {
    const account = await api.vercel.connect({ token: token.trim(), ...(teamId.trim() ? { teamId: teamId.trim() } : {}), ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}) });
    toastInfo(`Connected to Vercel as ${account.username}`);
    onConnected(account);
  });
  return (
    <form className="stack" aria-label="Connect Vercel" onSubmit={submit}>
      <p className="hint">Connect your own Vercel account to see and run deployments of linked projects. The token is checked with Vercel, then kept sealed on this machine only.</p>
      <FormField label="Vercel token" error={errors.token} hint="Create one at vercel.com/account/tokens.">
        {(control) => <input {...control} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} data-autofocus />}
      </FormField>
      <FormField label="Team id (optional)" error={errors.teamId} hint="team_… — leave empty for your personal account.">
        {(control) => <input {...control} value={teamId} onChange={(e) => setTeamId(e.target.value)} />}
      </FormField>
      <FormField label="API address (optional)" error={errors.baseUrl} hint="Leave empty for https://api.vercel.com.">
        {(control) => <input {...control} type="url" placeholder="https://api.vercel.com" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />}
      </FormField>
      <div>
        <button type="submit" className="primary" disabled={busy || !token.trim()}>
          {busy ? 'Checking…' : 'Connect Vercel'}
        </button>
      </div>
    </form>
  );
}

function Connected({ account, onDisconnected }: { account: VercelAccount; onDisconnected(): void }) {
  const [busy, setBusy] = useState(false);
  const disconnect = async () => {
    setBusy(true);
    try {
      await api.vercel.disconnect();
      onDisconnected();
    } catch (error) {
      toastError(error);
      setBusy(false);
    }
  };
  return (
    <section className="stack" aria-label="Vercel account">
      <p>
        Connected as <strong>{account.username}</strong> ({account.email}){account.teamId ? <> acting for team <code>{account.teamId}</code></> : null}.
      </p>
      <div>
        <button type="button" onClick={disconnect} disabled={busy}>
          Disconnect
        </button>
      </div>
    </section>
  );
}

/** The open project's Vercel project: pick one of the account's projects; linking shares it with the team. */
function LinkProject() {
  const project = useAppStore((s) => s.projects.find((p) => p.id === s.selectedProjectId) ?? null);
  const [projects, setProjects] = useState<VercelProject[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const read = () => api.vercel.projects().then(setProjects, setError);
  useEffect(() => {
    void read();
  }, []);
  if (!project) return <p className="hint">Open a project to link it to a Vercel project.</p>;
  const linked = projects?.find((p) => p.linkedProjectIds.includes(project.id)) ?? null;
  const link = async (vercelProjectId: string) => {
    setBusy(true);
    try {
      await api.vercel.linkProject({ projectId: project.id, vercelProjectId });
      await read();
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="stack" aria-label="Linked Vercel project">
      <h3>{project.name} on Vercel</h3>
      {error ? <InlineError label="Your Vercel projects could not be read">{errorText(error)}</InlineError> : null}
      {projects === null && !error ? <p className="hint">Reading your Vercel projects…</p> : null}
      {projects ? (
        <FormField label="Vercel project" hint={linked ? `Linked: ${linked.name}. Its deployments show on the project's Deploys tab.` : 'Not linked yet.'}>
          {(control) => (
            <select {...control} value={linked?.id ?? ''} disabled={busy} onChange={(e) => e.target.value && void link(e.target.value)}>
              <option value="">Choose a Vercel project…</option>
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {p.repo ? ` (${p.repo})` : ''}
                </option>
              ))}
            </select>
          )}
        </FormField>
      ) : null}
    </section>
  );
}
