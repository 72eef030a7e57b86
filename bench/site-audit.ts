/**
 * Site audit throughput: the `site.audit` job type (run directly, as the scheduler runs it, with
 * a files folder so it keeps its screenshots) over 50 pages served on 127.0.0.1, concurrency 4,
 * against a bare Playwright loop over the same pages in the same run: the same browser
 * (the type's own discovery, started the same way: a low-priority driver process), one context,
 * 4 tabs pulling from one queue, `page.goto` until the load event. Both timed from launching the
 * browser until it is closed; runs interleaved. The site is served by its own process.
 *
 *   npx tsx bench/site-audit.ts [--pages 50] [--concurrency 4] [--runs 3]
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../src-main/core/core';
import { launchAuditBrowser } from '../src-main/core/jobs/site-audit/browser-process';
import { findBrowser, launchArgs } from '../src-main/core/jobs/site-audit/find-browser';
import type { SiteAuditResult } from '../src-main/core/jobs/site-audit/schemas';
import { testRunContext } from '../src-main/core/jobs/testing/run-context';
import { siteAuditType } from '../src-main/core/jobs/types/site-audit';
import { startAuditSiteProcess } from './support/audit-site';
import { median, numberArg, report, round } from './support/lib';

const PAGES = numberArg('pages', 50);
const CONCURRENCY = numberArg('concurrency', 4);
const RUNS = numberArg('runs', 3);

const executablePath = findBrowser();
const args = launchArgs();
console.log(`site-audit: ${PAGES} pages on 127.0.0.1, concurrency ${CONCURRENCY}, ${RUNS} runs each; browser ${executablePath}`);

/**
 * The floor: open every page with 4 tabs at a time and wait for its load event, nothing else — in
 * a browser started as the audit starts its own (`launchAuditBrowser`: from a low-priority driver
 * process), so the two differ only in what the audit does on each page.
 */
async function bareLoop(urls: string[]): Promise<{ ms: number; launchMs: number }> {
  const t0 = performance.now();
  const started = await launchAuditBrowser({ executablePath, args });
  const { browser } = started;
  const launchMs = performance.now() - t0;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const page = await context.newPage();
        while (next < urls.length) {
          const response = await page.goto(urls[next++]!, { waitUntil: 'load' });
          if (!response?.ok()) throw new Error(`bare loop: ${response?.url()} answered ${response?.status()}`);
        }
      }),
    );
  } finally {
    await started.close();
  }
  return { ms: performance.now() - t0, launchMs };
}

// Served by its own process, as a real site is served elsewhere (the core's thread is not the site's).
const site = await startAuditSiteProcess(PAGES);
const { urls } = site;
const core = await createCore({ dataDir: null });
const files = mkdtempSync(join(tmpdir(), 'groundwork-bench-audit-'));
try {
  const workspace = await core.api.workspaces.create({ name: 'Bench' });
  let previousResult: unknown = null;
  const audit = async (): Promise<{ ms: number; result: SiteAuditResult }> => {
    // A files folder per run, as the scheduler gives each execution: screenshots are part of the work.
    const run = testRunContext(core, { workspaceId: workspace.id, filesDir: mkdtempSync(join(files, 'run-')), previousResult });
    try {
      const t0 = performance.now();
      const result = (await run.run(siteAuditType, { urls, concurrency: CONCURRENCY })) as SiteAuditResult;
      previousResult = result;
      return { ms: performance.now() - t0, result };
    } finally {
      run.close();
    }
  };

  // One unmeasured run of each: the OS file cache holds the browser, the JIT is warm.
  const first = await audit();
  await bareLoop(urls);
  const { summary } = first.result;
  const problems = first.result.pages.filter((p) => p.status !== 200 || p.findings.length > 0);
  console.log(
    `warm-up audit: ${summary.pages} pages, average score ${summary.averageScore}, findings ${JSON.stringify(summary.findings)}, ` +
      `${problems.length} pages not clean, ${readdirSync(files, { recursive: true }).filter((f) => String(f).endsWith('.png')).length} screenshots`,
  );
  if (summary.pages !== PAGES || problems.length > 0) throw new Error(`the audit did not see ${PAGES} clean pages: ${JSON.stringify(problems.slice(0, 3))}`);

  const auditMs: number[] = [];
  const bareMs: number[] = [];
  const launchMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const a = await audit();
    const b = await bareLoop(urls);
    auditMs.push(a.ms);
    bareMs.push(b.ms);
    launchMs.push(b.launchMs);
    console.log(
      `  run ${run + 1}: site.audit ${a.ms.toFixed(0)} ms (${((PAGES * 1000) / a.ms).toFixed(1)} pages/s), ` +
        `bare goto loop ${b.ms.toFixed(0)} ms (${((PAGES * 1000) / b.ms).toFixed(1)} pages/s, of which browser launch ${b.launchMs.toFixed(0)} ms)`,
    );
  }
  const a = median(auditMs);
  const b = median(bareMs);
  const pagesPerS = (PAGES * 1000) / a;
  const barePagesPerS = (PAGES * 1000) / b;
  console.log(`median: site.audit ${a.toFixed(0)} ms = ${pagesPerS.toFixed(1)} pages/s; bare Playwright loop ${b.toFixed(0)} ms = ${barePagesPerS.toFixed(1)} pages/s`);
  console.log(`ratio audit time / bare loop time: ${(a / b).toFixed(2)} (goal <= 1.5); browser launch median ${median(launchMs).toFixed(0)} ms (in both)`);
  report({
    bench: 'site-audit',
    pages: PAGES,
    concurrency: CONCURRENCY,
    audit_ms: round(a, 0),
    pages_per_s: round(pagesPerS, 1),
    bare_ms: round(b, 0),
    bare_pages_per_s: round(barePagesPerS, 1),
    launch_ms: round(median(launchMs), 0),
    ratio_vs_bare: round(a / b, 2),
  });
} finally {
  await core.close();
  await site.close();
  rmSync(files, { recursive: true, force: true });
}
