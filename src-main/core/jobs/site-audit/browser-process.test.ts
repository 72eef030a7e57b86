import { spawn } from 'node:child_process';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auditPriority } from './browser-priority';
import { launchAuditBrowser } from './browser-process';
import { findBrowser, launchArgs } from './find-browser';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls until none of `pids` is alive; bounded. */
async function allGone(pids: number[], withinMs = 20_000): Promise<number[]> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!pids.some(alive)) return [];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return pids.filter(alive);
}

describe('launchAuditBrowser', () => {
  it('starts the browser from a driver process below the core priority, and ends both on close', async () => {
    const audit = await launchAuditBrowser({ executablePath: findBrowser(), args: launchArgs() });
    let browserPid = 0;
    try {
      const session = await audit.browser.newBrowserCDPSession();
      const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
      browserPid = processInfo.find((p) => p.type === 'browser')!.id;
      expect(browserPid).not.toBe(process.pid);
      // The driver lowered itself before it started the browser, so the browser starts low too —
      // unless it is privileged (root here in CI): then Chromium raises threads of its own, which
      // browserPriority lowers again while an audit runs (browser-priority.test.ts).
      expect(getPriority(audit.driverPid)).toBeGreaterThanOrEqual(auditPriority);
      if (process.getuid?.() !== 0) expect(getPriority(browserPid)).toBeGreaterThanOrEqual(auditPriority);
      expect(getPriority()).toBeLessThan(auditPriority);
      const page = await (await audit.browser.newContext()).newPage();
      await page.setContent('<title>ok</title>');
      expect(await page.title()).toBe('ok');
    } finally {
      await audit.close();
    }
    expect(await allGone([audit.driverPid, browserPid])).toEqual([]);
    await audit.close(); // twice is fine
  });

  it('leaves no driver or browser behind when the core is killed', async () => {
    const script = fileURLToPath(new URL('./testing/hold-audit-browser.ts', import.meta.url));
    const holder = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await new Promise<{ driver: number; browser: number }>((resolve, reject) => {
      let out = '';
      holder.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as { driver: number; browser: number });
      });
      holder.once('exit', (code) => reject(new Error(`the holder exited with ${code} before printing: ${out}`)));
    });
    expect(alive(pids.driver) && alive(pids.browser)).toBe(true);
    holder.kill('SIGKILL');
    expect(await allGone([pids.driver, pids.browser])).toEqual([]);
  });
});
