import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../core';
import { coreWithProject, tempDir } from '../../testing/temp-core';
import { parseInput } from '../../validate';
import { findingCodes } from '../site-audit/findings';
import type { SiteAuditResult } from '../site-audit/schemas';
import { startTestSite, unreachableUrl, type TestSite } from '../site-audit/testing/test-site';
import { testRunContext } from '../testing/run-context';
import { createSiteAuditType } from './site-audit';

// A page over 10 s is slow, the slow page takes 12 s. (A plain page took over 5 s on a busy CI
// machine: the audit's browser runs at a low priority, its session too, and yields the CPU to
// every other test process — as it yields to people in the app.)
const siteAudit = createSiteAuditType({ slowMs: 10_000, navigationTimeoutMs: 30_000 });

let core: Core;
let workspaceId: string;
let site: TestSite;
const files = tempDir('groundwork-audit-');

beforeAll(async () => {
  const made = await coreWithProject();
  core = made.core;
  workspaceId = made.workspace.id;
  site = await startTestSite({
    '/': {},
    '/no-title': { title: null },
    '/no-description': { description: null },
    '/no-canonical': { canonical: false },
    '/no-h1': { h1: 0 },
    '/two-h1': { h1: 2 },
    '/noindex': { robots: 'noindex, follow' },
    '/noindex-header': { robotsHeader: 'noindex' },
    '/no-og': { openGraph: false },
    '/img-no-alt': { images: [{ src: '/logo.png', alt: 'Logo' }, { src: '/logo.png?2' }] },
    '/decorative-img': { images: [{ src: '/logo.png', alt: '' }] },
    '/broken-link': { links: ['/', '/missing', '/missing#again'] },
    '/also-broken': { links: ['/missing'] },
    '/slow': { delayMs: 12_000 },
    '/gone': { status: 410 },
  });
});

afterAll(async () => {
  await site?.close();
  await core?.close();
  files.remove();
});

async function audit(params: unknown, options: { previousResult?: unknown; filesDir?: string | null; signal?: AbortSignal } = {}) {
  const run = testRunContext(core, { workspaceId, filesDir: options.filesDir ?? null, previousResult: options.previousResult });
  try {
    return { result: (await run.run(siteAudit, params, options.signal)) as SiteAuditResult, run };
  } finally {
    run.close();
  }
}

const codesOf = (result: SiteAuditResult, url: string) =>
  result.pages
    .find((p) => p.url === url)
    ?.findings.map((f) => f.code)
    .sort();

describe('site.audit', () => {
  it('finds each defect on the page that has it, and nothing on a clean page', async () => {
    const expected: Record<string, string[]> = {
      '/': [],
      '/decorative-img': [],
      '/no-title': ['title-missing'],
      '/no-description': ['meta-description-missing'],
      '/no-canonical': ['canonical-missing'],
      '/no-h1': ['h1-missing'],
      '/two-h1': ['h1-multiple'],
      '/noindex': ['noindex'],
      '/noindex-header': ['noindex'],
      '/no-og': ['og-missing'],
      '/img-no-alt': ['img-alt-missing'],
      '/broken-link': ['broken-link'],
      '/also-broken': ['broken-link'],
      '/slow': ['slow'],
      '/gone': ['status-error'],
    };
    const { result, run } = await audit({ urls: Object.keys(expected).map((p) => site.url(p)), concurrency: 2 }, { filesDir: files.path });

    for (const [path, codes] of Object.entries(expected)) expect({ path, codes: codesOf(result, site.url(path)) }).toEqual({ path, codes });
    // Every documented code but `unreachable` (its own test) came from some page.
    const produced = new Set(result.pages.flatMap((p) => p.findings.map((f) => f.code)));
    expect([...produced].sort()).toEqual(Object.keys(findingCodes).filter((c) => c !== 'unreachable').sort());

    const clean = result.pages.find((p) => p.url === site.url('/'))!;
    expect(clean).toMatchObject({ status: 200, score: 100, title: 'Page /', finalUrl: site.url('/') });
    expect(clean.loadMs).toBeGreaterThanOrEqual(0);
    expect(clean.weightBytes).toBeGreaterThan(0);
    expect(result.pages.find((p) => p.url === site.url('/gone'))).toMatchObject({ status: 410, score: 0 });
    expect(result.pages.find((p) => p.url === site.url('/slow'))!.loadMs).toBeGreaterThanOrEqual(12_000);
    // One warning (-10) and one info (-5) finding cost what the README says.
    expect(result.pages.find((p) => p.url === site.url('/no-h1'))!.score).toBe(90);
    expect(result.pages.find((p) => p.url === site.url('/two-h1'))!.score).toBe(95);

    const brokenLink = result.pages.find((p) => p.url === site.url('/broken-link'))!.findings[0]!;
    expect(brokenLink).toMatchObject({ severity: 'error', target: site.url('/missing') });
    expect(brokenLink.message).toContain('404');
    // Two pages, audited at the same time, link to /missing (one twice): it was asked about once.
    expect(site.hits('/missing')).toBe(1);

    // A screenshot per page, a whole JPEG in the execution's folder (starts with SOI, ends with EOI),
    // of the viewport the audit opens.
    const shot = clean.screenshot!;
    const jpeg = readFileSync(join(files.path, 'test-execution', shot));
    expect([jpeg.readUInt16BE(0), jpeg.readUInt16BE(jpeg.length - 2)]).toEqual([0xffd8, 0xffd9]);
    expect(jpegSize(jpeg)).toEqual([1280, 800]);
    expect(new Set(result.pages.map((p) => p.screenshot)).size).toBe(result.pages.length);

    expect(result.summary).toMatchObject({ pages: 15, comparison: null });
    expect(result.summary.findings).toEqual({ error: 4, warning: 7, info: 2 });
    expect(run.progress.at(-1)).toMatchObject({ done: 15, total: 15 });
    expect(run.progress.filter((p) => p.done > 0).map((p) => p.done)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('reports an unreachable URL as a finding and audits the rest', async () => {
    const nowhere = await unreachableUrl();
    const { result } = await audit({ urls: [nowhere, site.url('/')] });
    expect(result.pages[0]).toMatchObject({ url: nowhere, status: null, score: 0, loadMs: null, screenshot: null });
    expect(result.pages[0]!.findings).toEqual([expect.objectContaining({ code: 'unreachable', severity: 'error' })]);
    expect(result.pages[0]!.findings[0]!.message).toContain('ERR_CONNECTION_REFUSED');
    expect(result.pages[1]!.findings).toEqual([]);
    expect(result.pages[1]).toMatchObject({ status: 200, score: 100, screenshot: null });
  });

  it('crawls same-origin pages from the listed URLs up to maxPages, and no further', async () => {
    const crawlSite = await startTestSite({
      '/': { links: ['/a', '/b', '/file.pdf', `${site.origin}/`, 'mailto:someone@example.com'] },
      '/a': { links: ['/', '/c', '/a#top'] },
      '/b': { links: ['/', '/d'] },
      '/c': { links: ['/'] },
      '/d': { links: ['/'] },
      '/file.pdf': {},
    });
    try {
      const otherOriginHits = site.hits('/');
      const all = await audit({ urls: [crawlSite.url('/')], crawl: { maxPages: 10 }, concurrency: 2 });
      expect(all.result.pages.map((p) => new URL(p.url).pathname).sort()).toEqual(['/', '/a', '/b', '/c', '/d']);
      expect(all.result.pages.every((p) => p.findings.length === 0)).toBe(true);
      // Links to another origin are neither crawled nor checked.
      expect(site.hits('/')).toBe(otherOriginHits);
      const limited = await audit({ urls: [crawlSite.url('/')], crawl: { maxPages: 3 }, concurrency: 2 });
      expect(limited.result.pages).toHaveLength(3);
      expect(limited.result.pages[0]!.url).toBe(crawlSite.url('/'));
      expect(limited.result.pages.every((p) => p.url.startsWith(crawlSite.origin))).toBe(true);
      expect(limited.run.progress.at(-1)).toMatchObject({ done: 3, total: 3 });
      // Without crawl, only the listed URL.
      const listed = await audit({ urls: [crawlSite.url('/')] });
      expect(listed.result.pages.map((p) => p.url)).toEqual([crawlSite.url('/')]);
    } finally {
      await crawlSite.close();
    }
  });

  it('compares with the previous run: new and fixed findings', async () => {
    site.page('/changing', { title: null });
    const first = await audit({ urls: [site.url('/changing'), site.url('/two-h1')] });
    expect(codesOf(first.result, site.url('/changing'))).toEqual(['title-missing']);

    site.page('/changing', { description: null }); // title fixed, description lost
    const second = await audit({ urls: [site.url('/changing'), site.url('/two-h1')] }, { previousResult: first.result });
    expect(second.result.summary.comparison).toEqual({
      newFindings: [expect.objectContaining({ url: site.url('/changing'), code: 'meta-description-missing' })],
      fixedFindings: [expect.objectContaining({ url: site.url('/changing'), code: 'title-missing' })],
    });
    // A page not audited this time has nothing fixed; a previous result of another type is no comparison.
    const third = await audit({ urls: [site.url('/changing')] }, { previousResult: second.result });
    expect(third.result.summary.comparison).toEqual({ newFindings: [], fixedFindings: [] });
    const other = await audit({ urls: [site.url('/')] }, { previousResult: { up: true } });
    expect(other.result.summary.comparison).toBeNull();
  });

  it('keeps two audits running at once apart', async () => {
    const [left, right] = await Promise.all([
      audit({ urls: [site.url('/no-title'), site.url('/broken-link')], concurrency: 2 }),
      audit({ urls: [site.url('/'), site.url('/two-h1')], concurrency: 2 }),
    ]);
    expect(left.result.pages.map((p) => [p.url, p.findings.map((f) => f.code)])).toEqual([
      [site.url('/no-title'), ['title-missing']],
      [site.url('/broken-link'), ['broken-link']],
    ]);
    expect(right.result.pages.map((p) => [p.url, p.findings.map((f) => f.code)])).toEqual([
      [site.url('/'), []],
      [site.url('/two-h1'), ['h1-multiple']],
    ]);
  });

  it('stops when its signal aborts: rejects, and opens no more pages', async () => {
    const hangs = ['/hang-1', '/hang-2', '/hang-3', '/hang-4'];
    for (const path of hangs) site.page(path, { delayMs: Infinity });
    const controller = new AbortController();
    const running = audit({ urls: hangs.map((p) => site.url(p)), concurrency: 2 }, { signal: controller.signal });
    for (let i = 0; i < 200 && site.hits('/hang-1') + site.hits('/hang-2') < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(site.hits('/hang-1') + site.hits('/hang-2')).toBe(2);
    controller.abort(new Error('Cancelled by a test'));
    await expect(running).rejects.toThrow('Cancelled by a test');
    expect(site.hits('/hang-3') + site.hits('/hang-4')).toBe(0);

    const before = new AbortController();
    before.abort(new Error('Cancelled before it started'));
    await expect(audit({ urls: [site.url('/')] }, { signal: before.signal })).rejects.toThrow('Cancelled before it started');
  });

  it('refuses bad params with the field named', () => {
    const bad = (params: unknown) => () => parseInput('site.audit', siteAudit.params, params);
    expect(bad({ urls: ['ftp://example.com/'] })).toThrow('urls.0: must be an http:// or https:// URL');
    expect(bad({ urls: ['not a url'] })).toThrow('urls.0: must be an http:// or https:// URL');
    expect(bad({ urls: [] })).toThrow('urls: must list at least one URL');
    expect(bad({ urls: ['https://example.com/'], crawl: { maxPages: 0 } })).toThrow('crawl.maxPages: must be at least 1');
    expect(bad({ urls: ['https://example.com/'], concurrency: 1.5 })).toThrow('concurrency: must be a whole number');
    expect(bad({ urls: ['https://example.com/'], depth: 2 })).toThrow('unknown field depth');
    expect(siteAudit.params.parse({ urls: ['https://example.com/'], crawl: { maxPages: 5 }, concurrency: 2 })).toEqual({
      urls: ['https://example.com/'],
      crawl: { maxPages: 5 },
      concurrency: 2,
    });
  });

  it('documents every finding code in the README with its severity', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'site-audit', 'README.md'), 'utf8');
    for (const [code, severity] of Object.entries(findingCodes)) expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\| ${severity} \\|`));
  });
});

/** A JPEG's width and height, from its start-of-frame segment (the markers before it are skipped by their lengths). */
function jpegSize(jpeg: Buffer): [number, number] | null {
  for (let at = 2; at + 9 < jpeg.length; at += 2 + jpeg.readUInt16BE(at + 2)) {
    const marker = jpeg.readUInt16BE(at);
    if (marker >= 0xffc0 && marker <= 0xffc3) return [jpeg.readUInt16BE(at + 7), jpeg.readUInt16BE(at + 5)];
  }
  return null;
}
