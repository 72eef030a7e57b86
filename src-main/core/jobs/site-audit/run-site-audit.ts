/**
 * A whole site audit: one browser, `concurrency` tabs pulling from one queue of pages (the listed
 * URLs, then same-origin pages found on them while the crawl's page limit allows), each page
 * audited by audit-page.ts. Stopping: the signal closes the browser, which ends every tab's
 * navigation at once; workers take no new page, and the run rejects with the signal's reason.
 */
import type { BrowserContext, Page } from 'playwright';
import type { JobProgress, JobRunContext } from '../job-type';
import { auditPage } from './audit-page';
import { browserPriority } from './browser-priority';
import { launchAuditBrowser } from './browser-process';
import { compareWithPrevious } from './compare-runs';
import { finding, pageScore } from './findings';
import { linkChecker } from './link-check';
import type { AuditedPage, SiteAuditParams, SiteAuditResult } from './schemas';

export interface SiteAuditSettings {
  executablePath: string;
  launchArgs: string[];
  slowMs: number;
  navigationTimeoutMs: number;
  linkTimeoutMs: number;
  maxLinksPerPage: number;
}

export const defaultConcurrency = 2;

/** Links to files, not pages: checked as links, never opened as pages (a download is not a page). */
const notAPage = /\.(?:pdf|zip|gz|tgz|rar|7z|dmg|exe|msi|png|jpe?g|gif|webp|avif|svg|ico|mp[34]|webm|mov|avi|css|js|json|xml|txt|csv|xlsx?|docx?|pptx?)$/i;

function withoutFragment(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

export async function runSiteAudit(
  ctx: JobRunContext,
  params: SiteAuditParams,
  signal: AbortSignal,
  progress: (p: JobProgress) => void,
  settings: SiteAuditSettings,
): Promise<SiteAuditResult> {
  signal.throwIfAborted();
  const audit = await launchAuditBrowser({ executablePath: settings.executablePath, args: settings.launchArgs });
  const { browser } = audit;
  const stop = () => void audit.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    signal.throwIfAborted(); // aborted while the browser started
    // Below the core's priority, so people's edits keep their CPU (browser-priority.ts); again
    // after each page, for the processes and threads Chromium started meanwhile.
    const priority = browserPriority(browser);
    let warned = false;
    const lowerPriority = () =>
      priority.lower().catch((error: unknown) => {
        if (!signal.aborted && !warned) ctx.log('warn', `Could not lower the browser's priority: ${error instanceof Error ? error.message : String(error)}`);
        warned = true;
        return 0;
      });
    await lowerPriority();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const filesDir = await ctx.filesDir();
    const checkLink = linkChecker({ fetch: ctx.fetch, signal, timeoutMs: settings.linkTimeoutMs });

    // The queue: every page to audit, with the origin its crawl stays within.
    const queue: { url: string; origin: string }[] = [];
    const seen = new Set<string>();
    const enqueue = (url: string, origin: string) => {
      if (seen.has(url)) return;
      seen.add(url);
      queue.push({ url, origin });
    };
    for (const url of params.urls) enqueue(withoutFragment(url), new URL(url).origin);
    // The listed URLs are always audited; the crawl adds pages up to its limit.
    const limit = params.crawl ? Math.max(queue.length, params.crawl.maxPages) : queue.length;
    const results: AuditedPage[] = [];
    let next = 0;
    let inFlight = 0;
    let done = 0;
    // Wakes idle workers when a page finishes: it may have queued more pages, or been the last.
    let wake: () => void = () => {};
    let changed = new Promise<void>((resolve) => (wake = resolve));
    const notify = () => {
      wake();
      changed = new Promise<void>((resolve) => (wake = resolve));
    };
    progress({ done: 0, total: queue.length, message: 'Starting the browser' });

    const auditOne = async (page: Page, index: number): Promise<{ audited: AuditedPage; links: string[] }> => {
      const { url } = queue[index]!;
      try {
        const { page: audited, links } = await auditPage(page, url, {
          slowMs: settings.slowMs,
          navigationTimeoutMs: settings.navigationTimeoutMs,
          checkLink,
          maxLinksPerPage: settings.maxLinksPerPage,
          screenshot: filesDir ? { dir: filesDir, name: `page-${String(index + 1).padStart(3, '0')}.jpg` } : null,
          elapsed: () => performance.now(),
        });
        return { audited, links };
      } catch (error) {
        if (signal.aborted) throw error;
        // The page crashed or navigated away mid-read: a finding for this page, not the end of the run.
        const findings = [finding('unreachable', `The page could not be audited: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)];
        const audited: AuditedPage = { url, finalUrl: null, status: null, score: pageScore(findings), loadMs: null, weightBytes: null, title: null, screenshot: null, findings };
        return { audited, links: [] };
      }
    };

    const worker = async (context: BrowserContext) => {
      let page = await context.newPage();
      for (;;) {
        if (signal.aborted) return;
        if (next >= queue.length) {
          if (inFlight === 0) return;
          await changed;
          continue;
        }
        const index = next++;
        inFlight++;
        try {
          if (page.isClosed()) page = await context.newPage();
          const { audited, links } = await auditOne(page, index);
          results[index] = audited;
          // After a failed navigation Chromium still commits its error page in that tab, which would
          // interrupt the tab's next navigation: the next page gets a fresh tab.
          if (audited.status === null) await page.close().catch(() => {});
          if (audited.finalUrl) seen.add(withoutFragment(audited.finalUrl));
          if (params.crawl && audited.status !== null && audited.status < 400) {
            const { origin } = queue[index]!;
            for (const link of links) {
              if (queue.length >= limit) break;
              if (new URL(link).origin === origin && !notAPage.test(new URL(link).pathname)) enqueue(link, origin);
            }
          }
          done++;
          void lowerPriority();
          ctx.log(audited.status === null || audited.status >= 400 ? 'warn' : 'info', `${audited.url}: ${audited.status ?? 'unreachable'}, score ${audited.score}, ${audited.findings.length} findings`);
          progress({ done, total: queue.length, message: `Audited ${audited.url}` });
        } finally {
          inFlight--;
          notify();
        }
      }
    };

    const concurrency = Math.min(params.concurrency ?? defaultConcurrency, limit);
    // allSettled: every worker has stopped before the browser closes (finally), whatever failed.
    const outcomes = await Promise.allSettled(Array.from({ length: concurrency }, () => worker(context)));
    signal.throwIfAborted();
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;

    const pages = results.filter((p): p is AuditedPage => p !== undefined);
    const all = pages.flatMap((p) => p.findings);
    return {
      pages,
      summary: {
        pages: pages.length,
        averageScore: pages.length ? Math.round((pages.reduce((s, p) => s + p.score, 0) / pages.length) * 10) / 10 : 0,
        findings: {
          error: all.filter((f) => f.severity === 'error').length,
          warning: all.filter((f) => f.severity === 'warning').length,
          info: all.filter((f) => f.severity === 'info').length,
        },
        comparison: compareWithPrevious(ctx.previousResult, pages),
      },
    };
  } finally {
    signal.removeEventListener('abort', stop);
    await audit.close();
  }
}
