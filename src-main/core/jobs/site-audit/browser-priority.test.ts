import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { chromium, type Browser } from 'playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { auditPriority, browserPriority } from './browser-priority';
import { findBrowser, launchArgs } from './find-browser';
import { startTestSite } from './testing/test-site';

let browser: Browser | null = null;
afterEach(async () => {
  await browser?.close();
  browser = null;
});

/** Chromium's processes as it reports them itself (the same CDP call, read independently). */
async function chromiumProcesses(b: Browser): Promise<{ type: string; id: number }[]> {
  const session = await b.newBrowserCDPSession();
  return (await session.send('SystemInfo.getProcessInfo')).processInfo as { type: string; id: number }[];
}

/** What carries a priority: on Linux each thread, elsewhere each process. */
function prioritised(pid: number): number[] {
  if (process.platform !== 'linux') return [pid];
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return []; // gone
  }
}

function priorityOf(id: number): number | null {
  try {
    return getPriority(id);
  } catch {
    return null; // gone since
  }
}

describe('browserPriority', () => {
  it("lowers every process (Linux: thread) of an audit's browser below the core, and leaves the core alone", async () => {
    const site = await startTestSite({ '/': {}, '/two': {} });
    try {
      const corePriority = getPriority();
      browser = await chromium.launch({ executablePath: findBrowser(), args: launchArgs() });
      const context = await browser.newContext();
      const pages = await Promise.all([1, 2, 3].map(() => context.newPage()));
      await Promise.all(pages.map((page, i) => page.goto(site.url(i % 2 ? '/two' : '/'))));

      const processes = await chromiumProcesses(browser);
      expect(processes.map((p) => p.type)).toEqual(expect.arrayContaining(['browser', 'renderer']));
      // The ones that exist before the pass are judged; Chromium may start more afterwards.
      const before = processes.flatMap((p) => prioritised(p.id).map((id) => ({ id, type: p.type })));
      // Chromium starts at the core's priority (unless the tests themselves run lowered).
      if (corePriority < auditPriority) expect(before.some(({ id }) => (priorityOf(id) ?? auditPriority) < auditPriority)).toBe(true);

      const covered = await browserPriority(browser).lower();
      expect(covered).toBeGreaterThanOrEqual(processes.length);
      const stillHigher = before.filter(({ id }) => {
        const now = priorityOf(id);
        return now !== null && now < auditPriority;
      });
      expect(stillHigher).toEqual([]);
      expect(getPriority()).toBe(corePriority);
    } finally {
      await site.close();
    }
  });

  // Autogroups (Linux, CONFIG_SCHED_AUTOGROUP): CPU is shared between sessions before nice values count.
  const autogroupOf = (pid: number | 'self') => {
    try {
      const [name, , nice] = readFileSync(`/proc/${pid}/autogroup`, 'utf8').trim().split(/\s+/);
      return { name, nice: Number(nice) };
    } catch {
      return null;
    }
  };
  const autogroups = process.platform === 'linux' && autogroupOf('self') !== null;

  it.runIf(autogroups)("lowers the browser's own session (its autogroup), never the core's", async () => {
    const own = autogroupOf('self')!;
    browser = await chromium.launch({ executablePath: findBrowser(), args: launchArgs() });
    const [main] = (await chromiumProcesses(browser)).filter((p) => p.type === 'browser');
    const before = autogroupOf(main!.id)!;
    // Playwright starts the browser detached: a session, and so an autogroup, of its own.
    expect(before.name).not.toBe(own.name);
    await browserPriority(browser).lower();
    expect(autogroupOf(main!.id)!.nice).toBe(Math.max(before.nice, auditPriority));
    expect(autogroupOf('self')).toEqual(own);
  });

  it('runs one pass at a time: calls during a pass share it', async () => {
    browser = await chromium.launch({ executablePath: findBrowser(), args: launchArgs() });
    const priority = browserPriority(browser);
    const [a, b] = [priority.lower(), priority.lower()];
    expect(a).toBe(b);
    expect(await a).toBeGreaterThan(0);
  });
});
