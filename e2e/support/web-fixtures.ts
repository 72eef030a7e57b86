/**
 * Fixtures for the web project: system Chromium (failing loudly when there is none) and a real
 * web host per test, started as its own process on port 0 with a fresh data dir. Tests that need
 * more machines (team sync) start further hosts with `launchWebHost`; each is stopped after the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, chromium, type Browser } from '@playwright/test';
import { chromiumArgs, findChromium } from './chromium';

const root = resolve(import.meta.dirname, '..', '..');

export { chromiumArgs, findChromium };

export interface WebHostHandle {
  url: string;
  token: string;
  dataDir: string;
  /** Stops this host (as Ctrl+C would) and starts it again on the same port, data dir and key file. */
  restart(): Promise<WebHostHandle>;
}

export interface Options {
  /** Start the host with --demo (3 projects, ~150 tasks). */
  demo: boolean;
  /** Another host entry with the same CLI (e.g. one registering test job types); default: the shipped host. */
  hostEntry: string | undefined;
}

export interface WebHostOptions {
  /** Start the host with --demo. */
  demo?: boolean;
  /** Names the host's log attachment (`<label>.log`). */
  label?: string;
}

export interface Fixtures {
  webHost: WebHostHandle;
  /** Starts another web host (another "machine"): own process, own data dir, port 0. */
  launchWebHost(options?: WebHostOptions): Promise<WebHostHandle>;
}

export const test = base.extend<Options & Fixtures, { browser: Browser }>({
  demo: [false, { option: true }],
  hostEntry: [undefined, { option: true }],

  browser: [
    async ({}, use) => {
      const executablePath = findChromium();
      if (!executablePath) {
        throw new Error(
          'No Chromium found for the web e2e tests (looked at $CHROMIUM_PATH and /usr/bin/chromium). Install one with `apt-get install -y chromium`, or set CHROMIUM_PATH.',
        );
      }
      const browser = await chromium.launch({ executablePath, args: chromiumArgs });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],

  webHost: async ({ demo, launchWebHost }, use) => {
    await use(await launchWebHost({ demo, label: 'web-host' }));
  },

  launchWebHost: async ({ hostEntry }, use, testInfo) => {
    const running: RunningHost[] = [];
    try {
      await use(async (options = {}) => {
        const base = mkdtempSync(join(tmpdir(), 'groundwork-e2e-'));
        const entry: RunningHost = { base, label: options.label ?? `web-host-${running.length + 1}`, runs: [] };
        running.push(entry);
        const launch = async (port: number): Promise<WebHostHandle> => {
          const run = await startHost(base, port, options.demo ?? false, hostEntry);
          entry.runs.push(run);
          return {
            ...run.handle,
            restart: async () => {
              await stop(run.child);
              return launch(Number(new URL(run.handle.url).port));
            },
          };
        };
        return launch(0);
      });
    } finally {
      for (const host of running.reverse()) {
        for (const [i, run] of host.runs.entries()) {
          await stop(run.child);
          const label = host.runs.length > 1 ? `${host.label}-run-${i + 1}` : host.label;
          if (run.stderr()) await testInfo.attach(`${label}.log`, { body: run.stderr(), contentType: 'text/plain' });
        }
        rmSync(host.base, { recursive: true, force: true });
      }
    }
  },
});

interface RunningHost {
  base: string;
  label: string;
  /** Each start of the host (a restart adds one). */
  runs: HostRun[];
}

interface HostRun {
  handle: Omit<WebHostHandle, 'restart'>;
  child: ChildProcess;
  stderr(): string;
}

async function startHost(base: string, port: number, demo: boolean, hostEntry: string | undefined): Promise<HostRun> {
  // The data dir and, beside it (never inside: a copied data dir must not carry it), the key that
  // seals relay tokens — so a test run never writes into the user's own config folder.
  const dataDir = join(base, 'data');
  // GROUNDWORK_E2E_HOST: another host entry with the same CLI (e.g. a host under development).
  const entry = hostEntry ?? process.env.GROUNDWORK_E2E_HOST ?? 'src-main/host/main.ts';
  const args = ['--import', 'tsx', entry, '--port', String(port), '--data-dir', dataDir, '--key-file', join(base, 'secret.key'), ...(demo ? ['--demo'] : [])];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const url = await readUrl(child, () => stderr);
    const token = new URL(url).searchParams.get('token') ?? '';
    return { handle: { url, token, dataDir }, child, stderr: () => stderr };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

export { expect } from '@playwright/test';

/** The host prints exactly one stdout line: `Groundwork web: http://127.0.0.1:P/?token=T`. */
function readUrl(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('the web host printed no URL within 60 s')), 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`${error.message}\n--- web host stderr ---\n${stderr().slice(-4000)}`));
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Groundwork web: (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]!);
      }
    });
    child.once('exit', (code) => fail(new Error(`the web host exited (code ${code}) before printing its URL`)));
    child.once('error', fail);
  });
}

/** SIGTERM lets the host close the core and release its data-dir lock; SIGKILL if it hangs. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}
