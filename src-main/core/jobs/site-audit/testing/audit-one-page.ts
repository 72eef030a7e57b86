/**
 * Audits one clean page of the test site and prints the audited page as JSON. Run by
 * audit-page-tsx.test.ts under `node --import tsx`, as the web host and the benches run the core:
 * tsx compiles with esbuild's keepNames, which the code sent into the page must survive.
 */
import { chromium } from 'playwright';
import { auditPage } from '../audit-page';
import { findBrowser, launchArgs } from '../find-browser';
import { linkChecker } from '../link-check';
import { startTestSite } from './test-site';

const site = await startTestSite({ '/': {} });
const browser = await chromium.launch({ executablePath: findBrowser(), args: launchArgs() });
try {
  const page = await (await browser.newContext()).newPage();
  const checkLink = linkChecker({ fetch, signal: new AbortController().signal, timeoutMs: 5000 });
  const { page: audited } = await auditPage(page, site.url('/'), {
    slowMs: 10_000,
    navigationTimeoutMs: 10_000,
    checkLink,
    maxLinksPerPage: 10,
    screenshot: null,
    elapsed: () => performance.now(),
  });
  console.log(JSON.stringify(audited));
} finally {
  await browser.close();
  await site.close();
}
