import { useEffect } from 'react';
import type { GithubAccount, GithubRepoLink } from '../../../src-main/contract';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';

/**
 * This machine's GitHub connection and the project's linked repos, read once when a view needs
 * them and kept current by the store (Settings and change events update both).
 */
export function useGithubProject(projectId: string): { account: GithubAccount | null | undefined; links: GithubRepoLink[] | undefined } {
  const account = useAppStore((s) => s.githubAccount);
  const links = useAppStore((s) => s.githubLinksByProject[projectId]);
  const loadAccount = useAppStore((s) => s.loadGithubAccount);
  const loadLinks = useAppStore((s) => s.loadGithubLinks);
  const known = account !== undefined;
  useEffect(() => {
    if (!known) loadAccount().catch(toastError);
  }, [known, loadAccount]);
  useEffect(() => {
    loadLinks(projectId).catch(toastError);
  }, [projectId, loadLinks]);
  return { account, links };
}
