/**
 * One page of a site audit: load it in the browser, read what the checks need in one round trip,
 * check its same-origin links, keep a screenshot, and turn it all into findings and a score.
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright';
import { finding, pageFindings, pageScore, type BrokenLink, type PageFacts } from './findings';
import type { LinkChecker } from './link-check';
import type { AuditedPage } from './schemas';

export interface PageAuditOptions {
  /** Over this load time a page is `slow`. */
  slowMs: number;
  navigationTimeoutMs: number;
  checkLink: LinkChecker;
  /** Links of one page asked about at most (a footer of thousands must not hold the run up). */
  maxLinksPerPage: number;
  /** The folder for the screenshot and its file name there; null keeps none. */
  screenshot: { dir: string; name: string } | null;
  /** A monotonic clock in ms (load times must not jump with the wall clock). */
  elapsed: () => number;
}

export interface PageAudit {
  page: AuditedPage;
  /** Same-origin links on the page (absolute, without #fragment), for the crawl. */
  links: string[];
}

/** What `readPage` returns from inside the page: the facts the DOM holds, its links and its weight. */
type PageReading = Omit<PageFacts, 'status' | 'loadMs'> & { links: string[]; weightBytes: number | null };

/** Just enough of the DOM for `readPage`: the core is compiled without the DOM library. */
interface DomElement {
  getAttribute(name: string): string | null;
  readonly href?: string;
}
interface DomDocument {
  readonly title: string;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}
interface TimingEntry {
  transferSize?: number;
  encodedBodySize?: number;
}

/** Runs inside the page (Playwright sends its source), so it may use only what it declares. */
function readPage(): PageReading {
  const doc = (globalThis as unknown as { document: DomDocument }).document;
  const perf = (globalThis as unknown as { performance: { getEntriesByType(type: string): TimingEntry[] } }).performance;
  const all = (selector: string) => Array.from(doc.querySelectorAll(selector));
  const attr = (selector: string, name: string) => doc.querySelector(selector)?.getAttribute(name) ?? '';
  const entries = [...perf.getEntriesByType('navigation'), ...perf.getEntriesByType('resource')];
  // transferSize is 0 for a cached or cross-origin (no Timing-Allow-Origin) resource; its body size is the next best.
  const weight = entries.reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0);
  return {
    title: doc.title,
    metaDescription: attr('meta[name="description" i]', 'content'),
    canonical: attr('link[rel="canonical" i]', 'href'),
    h1Count: all('h1').length,
    robots: all('meta[name="robots" i], meta[name="googlebot" i]').map((m) => (m.getAttribute('content') ?? '').toLowerCase()),
    openGraph: all('meta[property^="og:" i]')
      .filter((m) => (m.getAttribute('content') ?? '').trim() !== '')
      .map((m) => (m.getAttribute('property') ?? '').toLowerCase()),
    imagesWithoutAlt: all('img:not([alt])').map((img) => img.getAttribute('src') ?? '(no src)'),
    links: all('a[href]').map((a) => a.href ?? ''),
    weightBytes: entries.length > 0 ? weight : null,
  };
}

function sameOriginLinks(hrefs: string[], pageUrl: string): string[] {
  const origin = new URL(pageUrl).origin;
  const links = new Set<string>();
  for (const href of hrefs) {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      continue;
    }
    if (url.origin !== origin) continue;
    url.hash = '';
    links.add(url.href);
  }
  return [...links];
}

/** Each tab's DevTools session, opened on its first screenshot (a tab audits page after page). */
const screenshotSessions = new WeakMap<Page, Promise<CDPSession>>();

/**
 * The tab's viewport as a JPEG (quality 80), asked of Chromium directly (`Page.captureScreenshot`):
 * measured on the site-audit bench (50 pages, 4 tabs), Playwright's `page.screenshot` made the
 * whole audit ~1.9× a bare goto loop and the same PNG through DevTools ~1.65×; encoding the PNG was
 * most of what was left. A JPEG is what audit tools keep (Lighthouse's screenshots are JPEGs).
 */
async function viewportJpeg(page: Page): Promise<Buffer> {
  let session = screenshotSessions.get(page);
  if (!session) {
    session = page.context().newCDPSession(page);
    screenshotSessions.set(page, session);
  }
  const { data } = await (await session).send('Page.captureScreenshot', { format: 'jpeg', quality: 80 });
  return Buffer.from(data, 'base64');
}

/** Temp file, then rename: a run stopped halfway never leaves half a screenshot. */
async function keepScreenshot(page: Page, dir: string, name: string): Promise<string> {
  const image = await viewportJpeg(page);
  const temp = join(dir, `.${name}.tmp`);
  await writeFile(temp, image);
  await rename(temp, join(dir, name));
  return name;
}

function unreachable(url: string, error: unknown): PageAudit {
  const reason = error instanceof Error ? error.message.split('\n')[0]!.replace(/^page\.goto: /, '') : String(error);
  const findings = [finding('unreachable', `The page could not be loaded: ${reason}`)];
  return {
    page: { url, finalUrl: null, status: null, score: pageScore(findings), loadMs: null, weightBytes: null, title: null, screenshot: null, findings },
    links: [],
  };
}

export async function auditPage(page: Page, url: string, options: PageAuditOptions): Promise<PageAudit> {
  const started = options.elapsed();
  let response;
  try {
    response = await page.goto(url, { waitUntil: 'load', timeout: options.navigationTimeoutMs });
  } catch (error) {
    if (page.isClosed()) throw error; // the run was stopped, not the page's fault
    return unreachable(url, error);
  }
  const loadMs = Math.round(options.elapsed() - started);
  // Sent as source with a no-op `__name` of its own: where the core runs through tsx (the web host,
  // benches), esbuild's keepNames wraps readPage's inner arrows in `__name(…)` calls, a helper that
  // exists only in Node — the page would throw "__name is not defined" and every page would be unreachable.
  const reading = (await page.evaluate(`(() => { const __name = (f) => f; return (${readPage.toString()})(); })()`)) as PageReading;
  const finalUrl = page.url();
  const links = sameOriginLinks(reading.links, finalUrl);
  const headerRobots = response?.headers()['x-robots-tag'];
  const facts: PageFacts = {
    status: response?.status() ?? null,
    loadMs,
    title: reading.title,
    metaDescription: reading.metaDescription,
    canonical: reading.canonical,
    h1Count: reading.h1Count,
    robots: headerRobots ? [...reading.robots, headerRobots.toLowerCase()] : reading.robots,
    openGraph: reading.openGraph,
    imagesWithoutAlt: reading.imagesWithoutAlt,
  };
  // An error page's links are not the site's (its findings are only `status-error`): not asked about.
  const linksToCheck = facts.status !== null && facts.status >= 400 ? [] : links.slice(0, options.maxLinksPerPage);
  const [broken, screenshot] = await Promise.all([
    Promise.all(linksToCheck.map((link) => options.checkLink(link))),
    options.screenshot ? keepScreenshot(page, options.screenshot.dir, options.screenshot.name) : null,
  ]);
  const findings = pageFindings(
    facts,
    broken.filter((b): b is BrokenLink => b !== null),
    options.slowMs,
  );
  return {
    page: {
      url,
      finalUrl,
      status: facts.status,
      score: pageScore(findings),
      loadMs,
      weightBytes: reading.weightBytes,
      title: reading.title || null,
      screenshot,
      findings,
    },
    links,
  };
}
