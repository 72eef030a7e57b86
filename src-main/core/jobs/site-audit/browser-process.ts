/**
 * The audit's browser, driven from its own low-priority process. Playwright's driver (the part
 * that speaks CDP to Chromium: every network event, frame and page of every tab) normally runs
 * inside the process that calls `chromium.launch` — here the core, whose one thread also serves
 * people's edits. So a small driver process is started instead: it lowers its own priority first
 * (nice 10 / below normal), then launches Chromium with `launchServer`, so Chromium starts low
 * too (a child takes its parent's priority), and prints the endpoint the core connects to with
 * `chromium.connect`. The core keeps only Playwright's thin client side.
 *
 * The driver is `node -e` with the script below (Electron's own binary acts as Node with
 * ELECTRON_RUN_AS_NODE), so there is no extra file to build or package. It exits when its stdin
 * closes: when the core stops, or is killed, the driver closes the browser instead of leaving it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright';

export interface AuditBrowser {
  browser: Browser;
  /** The driver process's id (diagnostics and tests). */
  driverPid: number;
  /** Closes the browser and ends the driver (idempotent). */
  close(): Promise<void>;
}

/** How long the driver may take to print its endpoint (a cold Chromium start on a slow disk). */
const startTimeoutMs = 60_000;

// Plain JavaScript, run by `node -e`: argv[1] the path of the playwright package, argv[2] the
// launchServer options as JSON. Its first line of output is the endpoint, or it exits non-zero.
const driverScript = `
const os = require('node:os');
try { os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL); } catch {}
const { chromium } = require(process.argv[1]);
chromium.launchServer(JSON.parse(process.argv[2])).then((server) => {
  process.stdout.write(server.wsEndpoint() + '\\n');
  const stop = () => server.close().finally(() => process.exit(0));
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}, (error) => {
  process.stderr.write(String(error && error.message || error));
  process.exit(1);
});
`;

function waitForEndpoint(driver: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`The audit's browser did not start within ${startTimeoutMs / 1000} s.`)), startTimeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    driver.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
    driver.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      resolve(out.slice(0, newline).trim());
    });
    driver.once('error', fail);
    driver.once('exit', (code) => fail(new Error(`The audit's browser could not start: ${err.trim() || `its driver exited with ${code}`}`)));
  });
}

export async function launchAuditBrowser(options: { executablePath: string; args: string[] }): Promise<AuditBrowser> {
  const playwrightPath = createRequire(import.meta.url).resolve('playwright');
  const driver = spawn(process.execPath, ['-e', driverScript, playwrightPath, JSON.stringify({ executablePath: options.executablePath, args: options.args, headless: true })], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    windowsHide: true,
  });
  const ended = new Promise<void>((resolve) => driver.once('exit', () => resolve()));
  const end = async () => {
    if (driver.exitCode === null && driver.signalCode === null) driver.stdin!.end();
    // Bounded: a driver that does not end within 10 s of its stdin closing is killed.
    const timer = setTimeout(() => driver.kill('SIGKILL'), 10_000);
    await ended;
    clearTimeout(timer);
  };
  let browser: Browser;
  try {
    browser = await chromium.connect(await waitForEndpoint(driver));
  } catch (error) {
    await end();
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    browser,
    driverPid: driver.pid!,
    close: () => (closing ??= browser.close().catch(() => {}).then(end)),
  };
}
