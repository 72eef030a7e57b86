import { useEffect, useState, type FormEvent } from 'react';
import type { GithubAccount } from '../../../src-main/contract';
import { api } from '../../api/connection';
import { FormField } from '../../components/form-field';
import { errorsOrToast } from '../../components/field-errors';
import { useFormSubmit } from '../../components/use-form-submit';
import { InlineError } from '../../components/inline-error';
import { toastError, toastInfo } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { formatLocal } from '../jobs/job-format';
import { DeviceFlowSignIn } from './device-flow-sign-in';
import { RepoPicker } from './repo-picker';

/**
 * Settings → GitHub: this machine's own connection (by signing in with GitHub's device flow, or
 * a token GitHub checks before it is kept; sealed on this machine, never synced) and the repos
 * linked to the open project (shared with the team: each teammate reads them with their own
 * connection).
 */
export function GithubSettings() {
  const account = useAppStore((s) => s.githubAccount);
  const setAccount = useAppStore((s) => s.setGithubAccount);
  const loadAccount = useAppStore((s) => s.loadGithubAccount);
  useEffect(() => {
    loadAccount().catch((error: unknown) => {
      setAccount(null);
      toastError(error);
    });
  }, [loadAccount, setAccount]);

  return (
    <div className="stack">
      {account === undefined ? <p className="hint">Reading the connection…</p> : account ? <Connected account={account} onDisconnected={() => setAccount(null)} /> : <Connect onConnected={setAccount} />}
      <LinkedRepos />
    </div>
  );
}

/** The two ways in, side by side, sharing the server they go to (github.com unless an Enterprise address is given). */
function Connect({ onConnected }: { onConnected(account: GithubAccount): void }) {
  const [baseUrl, setBaseUrl] = useState('');
  const connected = (account: GithubAccount) => {
    toastInfo(`Connected to GitHub as ${account.login}`);
    onConnected(account);
  };
  return (
    <section className="stack" aria-label="Connect GitHub">
      <p className="hint">
        Connect your own GitHub account to see branches, commits and pull requests of linked repos. Sign in with GitHub, or paste a personal access token.
        Either is kept sealed on this machine only.
      </p>
      <FormField label="GitHub Enterprise API address" hint="Leave empty for github.com. For example https://github.example.com/api/v3.">
        {(control) => <input {...control} type="url" placeholder="https://api.github.com" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />}
      </FormField>
      <div className="github-connect-ways">
        <DeviceFlowSignIn baseUrl={baseUrl} onConnected={connected} />
        <TokenForm baseUrl={baseUrl} onConnected={connected} />
      </div>
    </section>
  );
}

function TokenForm({ baseUrl, onConnected }: { baseUrl: string; onConnected(account: GithubAccount): void }) {
  const [token, setToken] = useState('');
  const { busy, errors, submit } = useFormSubmit(async () => {
    onConnected(await api.github.connectToken({ token: token.trim(), ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}) }));
  });

  return (
    <form onSubmit={submit} className="stack" aria-label="Connect with a token">
      <FormField
        label="Personal access token"
        error={errors.token}
        hint={
          <>
            Fine-grained, with read access to the repos, or classic with <code>repo</code>. GitHub checks it first.
          </>
        }
      >
        {(control) => <input {...control} type="password" autoComplete="off" spellCheck={false} value={token} onChange={(e) => setToken(e.target.value)} />}
      </FormField>
      {errors.baseUrl && <InlineError label="GitHub Enterprise API address">{errors.baseUrl}</InlineError>}
      <div className="row-end">
        <button type="submit" className="button button-primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
    </form>
  );
}

function Connected({ account, onDisconnected }: { account: GithubAccount; onDisconnected(): void }) {
  const disconnect = async () => {
    try {
      await api.github.disconnect();
      toastInfo('GitHub disconnected on this machine');
      onDisconnected();
    } catch (error) {
      toastError(error);
    }
  };
  const host = new URL(account.baseUrl).host;
  return (
    <section className="stack" aria-label="GitHub connection">
      <p>
        Signed in to {host === 'api.github.com' ? 'GitHub' : host} as <strong>{account.login}</strong>.
      </p>
      <dl className="github-account">
        <dt>Token scopes</dt>
        <dd>{account.scopes.length > 0 ? account.scopes.join(', ') : 'none listed (a fine-grained or app token: its access is set on GitHub)'}</dd>
        <dt>Requests left</dt>
        <dd>
          {account.rateLimit.remaining === null
            ? 'not reported yet'
            : `${account.rateLimit.remaining}${account.rateLimit.resetAt ? `, until ${formatLocal(account.rateLimit.resetAt)}` : ''}`}
        </dd>
      </dl>
      <div className="row-end">
        <button type="button" className="button" onClick={() => void disconnect()}>
          Disconnect
        </button>
      </div>
    </section>
  );
}

/** The open project's linked repos: shared with the team, so linking works offline too. */
function LinkedRepos() {
  const project = useAppStore((s) => s.projects.find((p) => p.id === s.selectedProjectId) ?? null);
  const projectId = project?.id ?? null;
  const links = useAppStore((s) => (projectId ? s.githubLinksByProject[projectId] : undefined)) ?? null;
  const loadLinks = useAppStore((s) => s.loadGithubLinks);
  const [repo, setRepo] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const connected = useAppStore((s) => Boolean(s.githubAccount));

  useEffect(() => {
    if (!projectId) return;
    loadLinks(projectId).catch(toastError);
  }, [projectId, loadLinks]);

  if (!project) return <p className="hint">Open a project to link its GitHub repos.</p>;
  // Typed in the form (its problems beside the field) or chosen from the person's repos (a toast).
  const link = async (name: string, fromForm: boolean) => {
    setErrors({});
    try {
      await api.github.linkRepo({ projectId: project.id, repo: name });
      if (fromForm) setRepo('');
      await loadLinks(project.id);
    } catch (error) {
      if (fromForm) setErrors(errorsOrToast(error));
      else toastError(error);
    }
  };
  const unlink = async (name: string) => {
    try {
      await api.github.unlinkRepo({ projectId: project.id, repo: name });
      await loadLinks(project.id);
    } catch (error) {
      toastError(error);
    }
  };

  return (
    <>
    <section className="stack" aria-label={`Repos linked to ${project.name}`}>
      <h3>Repos linked to {project.name}</h3>
      {links === null ? null : links.length === 0 ? (
        <p className="hint">No repo linked yet. Tasks will follow the branches, commits and pull requests of the repos you link here.</p>
      ) : (
        <ul className="github-links">
          {links.map((l) => (
            <li key={l.repo}>
              <span>{l.repo}</span>
              <button type="button" className="button" aria-label={`Unlink ${l.repo}`} onClick={() => void unlink(l.repo)}>
                Unlink
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          void link(repo.trim(), true);
        }}
        className="row-end"
        aria-label="Link a repo"
      >
        <FormField label="Repo (owner/name)" error={errors.repo}>
          {(control) => <input {...control} placeholder="acme/website" spellCheck={false} value={repo} onChange={(e) => setRepo(e.target.value)} />}
        </FormField>
        <button type="submit" className="button" disabled={repo.trim() === ''}>
          Link repo
        </button>
      </form>
    </section>
      {connected ? <RepoPicker linked={(links ?? []).map((l) => l.repo)} onLink={(name) => link(name, false)} /> : null}
    </>
  );
}
