/**
 * `site.audit`: Chromium over a list of URLs (and, with `crawl`, same-origin pages found from them
 * up to `crawl.maxPages`): status, load time, weight, title, description, canonical, headings,
 * robots, Open Graph, image alt text, broken same-origin links and a screenshot per page, each
 * problem a finding with a documented code (core/jobs/site-audit/README.md), a score per page and
 * a comparison with the previous run.
 */
import type { JobType } from '../job-type';
import { findBrowser, launchArgs, type BrowserSearch } from '../site-audit/find-browser';
import { runSiteAudit } from '../site-audit/run-site-audit';
import { siteAuditParams, siteAuditResult } from '../site-audit/schemas';

export interface SiteAuditOptions {
  /** Where to look for a browser; defaults to this process's environment and OS. */
  browser?: BrowserSearch;
  /** Over this load time a page is `slow` (default 3 s). */
  slowMs?: number;
  /** A page that has not loaded by then is `unreachable` (default 30 s). */
  navigationTimeoutMs?: number;
  /** A link that has not answered by then is broken (default 10 s). */
  linkTimeoutMs?: number;
}

export function createSiteAuditType(options: SiteAuditOptions = {}): JobType<typeof siteAuditParams, typeof siteAuditResult> {
  return {
    type: 'site.audit',
    title: 'Site audit',
    params: siteAuditParams,
    result: siteAuditResult,
    async run(ctx, params, signal, progress) {
      // Looked up per run, not at start-up: the app runs without a browser until an audit needs one.
      const executablePath = findBrowser(options.browser);
      return runSiteAudit(ctx, params, signal, progress, {
        executablePath,
        launchArgs: launchArgs(options.browser?.platform),
        slowMs: options.slowMs ?? 3000,
        navigationTimeoutMs: options.navigationTimeoutMs ?? 30_000,
        linkTimeoutMs: options.linkTimeoutMs ?? 10_000,
        maxLinksPerPage: 200,
      });
    },
  };
}

/** The registry's site audit: the browser found from this process's environment. */
export const siteAuditType = createSiteAuditType();
