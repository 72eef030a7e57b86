/**
 * A big project on screen: the web host (core + built renderer, in this process) serves a data dir
 * of 10,000 tasks (one project) and one of 50,000 (5 projects of 10,000); Chromium opens the
 * first project's Board, then its List, straight from the address (`#/project/<id>/<view>`).
 * Per view it measures, in the page:
 *   - first cards: from navigation start until the first card (Board) or row (List) is in the DOM;
 *   - the longest frame while opening (from the project page mounting, once the app has started,
 *     until a second after the first cards) and while
 *     scrolling the first column / the table: the longest `long-animation-frame` entry (Chromium's
 *     measure of a frame the page could not paint in time), and the longest gap between
 *     requestAnimationFrame callbacks as a cross-check;
 *   - how many task elements are in the DOM.
 * Baseline in the same run: the same on an empty project (one project, no tasks): the app's own
 * start (scripts, connection, workspace and project lists) without any task. "Over empty" is the
 * project's own cost.
 *
 *   npx tsx bench/ui-big-project.ts [--runs 3] [--reseed]
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import buildRenderer from '../e2e/support/global-setup';
import { chromiumArgs, findChromium } from '../e2e/support/chromium';
import { startWebHost } from '../src-main/host/web-host';
import { median, numberArg, report, round } from './support/lib';
import { seededDataDir } from './support/seeded-data-dir';

const RUNS = numberArg('runs', 3);
/** Wheel steps over a column or the table, one per frame or so. */
const SCROLL_STEPS = 40;

type View = 'board' | 'list';
interface Sample {
  first_ms: number;
  open_frame_ms: number;
  open_raf_gap_ms: number;
  scroll_frame_ms: number;
  dom_tasks: number;
}

/**
 * Installed before the app's scripts: records frames and the moment the first task appears.
 * Plain JavaScript run in the page (this file is type-checked for Node, without the DOM).
 */
const observeFrames = (selector: string) => `(() => {
  const bench = (window.__bench = { pageStart: -1, first: -1, frames: [], gaps: [] });
  const record = (list) => {
    for (const entry of list.getEntries()) bench.frames.push({ start: entry.startTime, duration: entry.duration });
  };
  try {
    new PerformanceObserver(record).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    new PerformanceObserver(record).observe({ type: 'longtask', buffered: true });
  }
  let last = performance.now();
  const tick = (now) => {
    bench.gaps.push({ at: now, gap: now - last });
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const check = () => {
    if (bench.pageStart < 0 && document.querySelector('.project-page')) bench.pageStart = performance.now();
    if (bench.first < 0 && document.querySelector(${JSON.stringify(selector)})) bench.first = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
})()`;

/** The longest long-animation-frame and rAF gap from `since` (ms since navigation) on. */
const longestSince = (page: Page, since: number): Promise<{ frame: number; gap: number }> =>
  page.evaluate((from) => {
    const { frames, gaps } = (globalThis as unknown as { __bench: PageBench }).__bench;
    return {
      frame: Math.max(0, ...frames.filter((f) => f.start >= from).map((f) => f.duration)),
      gap: Math.max(0, ...gaps.filter((g) => g.at - g.gap >= from).map((g) => g.gap)),
    };
  }, since);

/** What observeFrames leaves in the page (page functions cannot close over this module's code). */
interface PageBench {
  /** When the project's page mounted (the app has started; its data is being asked for). */
  pageStart: number;
  first: number;
  frames: { start: number; duration: number }[];
  gaps: { at: number; gap: number }[];
}

async function measure(browser: Browser, url: string, projectId: string, view: View, hasTasks: boolean): Promise<Sample> {
  const selector = hasTasks ? (view === 'board' ? '[data-task-id]' : 'tr.task-row') : view === 'board' ? '.column' : '.list-view';
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: observeFrames(selector) });
    await page.goto(`${url}#/project/${projectId}/${view}`);
    await page.waitForFunction(() => (globalThis as unknown as { __bench: PageBench }).__bench.first >= 0, null, { timeout: 120_000 });
    await page.waitForTimeout(1000);
    const { first, pageStart } = await page.evaluate(() => (globalThis as unknown as { __bench: PageBench }).__bench);
    // Frames from the project page on: the app's own start (its script, the first lists) is the
    // same with or without tasks, and is not what this bench is about.
    const open = await longestSince(page, pageStart);
    const domTasks = await page.locator('[data-task-id], tr.task-row').count();

    // Scroll the first column (Board) or the table (List) with the mouse wheel.
    const scroller = page.locator(view === 'board' ? '.column-cards' : '.table-scroll').first();
    let scrollFrame = 0;
    if (hasTasks) {
      const box = (await scroller.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200));
      const scrollStart = await page.evaluate(() => performance.now());
      for (let step = 0; step < SCROLL_STEPS; step++) {
        await page.mouse.wheel(0, 400);
        await page.waitForTimeout(16);
      }
      await page.waitForTimeout(300);
      scrollFrame = (await longestSince(page, scrollStart)).frame;
    }
    return { first_ms: first, open_frame_ms: open.frame, open_raf_gap_ms: open.gap, scroll_frame_ms: scrollFrame, dom_tasks: domTasks };
  } finally {
    await context.close();
  }
}

const executablePath = findChromium();
if (!executablePath) throw new Error('No Chromium found (looked at $CHROMIUM_PATH and /usr/bin/chromium): install one with `apt-get install -y chromium`.');

const loadBefore = round(loadavg()[0]!, 2);
console.log(`ui-big-project: Board and List of a 10,000-task project (data dirs of 10,000 and 50,000 tasks) vs an empty project, ${RUNS} runs; load ${loadBefore}`);
await buildRenderer();
const datasets = [
  { name: 'empty', ...(await seededDataDir(1, 0)) },
  { name: '10k', ...(await seededDataDir(1, 10_000)) },
  { name: '50k', ...(await seededDataDir(5, 10_000)) },
];

const work = mkdtempSync(join(tmpdir(), 'groundwork-bench-ui-'));
const browser = await chromium.launch({ executablePath, args: chromiumArgs });
const results: Record<string, Record<View, Sample[]>> = {};
try {
  for (const dataset of datasets) {
    // A copy, so a run never changes the cache; a host of its own per data dir.
    const dataDir = join(work, dataset.name);
    cpSync(dataset.dir, dataDir, { recursive: true });
    const host = await startWebHost({ port: 0, dataDir, secretKeyFile: join(work, 'secret.key') });
    try {
      // One unmeasured load: the browser's cache and the core's first queries warm for every run.
      await measure(browser, host.url, dataset.ids.projectId, 'board', dataset.ids.tasks > 0);
      results[dataset.name] = { board: [], list: [] };
      for (let run = 0; run < RUNS; run++) {
        for (const view of ['board', 'list'] as const) {
          const s = await measure(browser, host.url, dataset.ids.projectId, view, dataset.ids.tasks > 0);
          results[dataset.name]![view].push(s);
          console.log(
            `  ${dataset.name.padEnd(5)} ${view.padEnd(5)} run ${run + 1}: first ${s.first_ms.toFixed(0)} ms, longest frame opening ${s.open_frame_ms.toFixed(0)} ms ` +
              `(rAF gap ${s.open_raf_gap_ms.toFixed(0)} ms), scrolling ${s.scroll_frame_ms.toFixed(0)} ms, ${s.dom_tasks} tasks in the DOM`,
          );
        }
      }
    } finally {
      await host.close();
    }
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}

const figures: Record<string, number> = {};
for (const view of ['board', 'list'] as const) {
  const emptyFirst = median(results.empty![view].map((s) => s.first_ms));
  figures[`${view}_empty_first_ms`] = round(emptyFirst, 1);
  for (const name of ['10k', '50k']) {
    const samples = results[name]![view];
    const first = median(samples.map((s) => s.first_ms));
    figures[`${view}_${name}_first_ms`] = round(first, 1);
    figures[`${view}_${name}_over_empty_ms`] = round(first - emptyFirst, 1);
    // The worst frame of any run: one frozen frame is what a person notices.
    figures[`${view}_${name}_open_frame_ms`] = round(Math.max(...samples.map((s) => s.open_frame_ms)), 1);
    figures[`${view}_${name}_scroll_frame_ms`] = round(Math.max(...samples.map((s) => s.scroll_frame_ms)), 1);
    figures[`${view}_${name}_dom_tasks`] = Math.max(...samples.map((s) => s.dom_tasks));
  }
  figures[`${view}_empty_open_frame_ms`] = round(Math.max(...results.empty![view].map((s) => s.open_frame_ms)), 1);
}
const loadAfter = round(loadavg()[0]!, 2);
console.log(`load average before ${loadBefore}, after ${loadAfter}`);
report({ bench: 'ui-big-project', runs: RUNS, load_before: loadBefore, load_after: loadAfter, ...figures });
