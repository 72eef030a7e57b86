/**
 * What the core needs from the world, handed in by a composition root (electron/, host/, tests).
 * The core itself never imports electron and never reads process.env.
 */
export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
}

import type { GithubPorts } from './integrations/github/octokit-client';
import type { VercelPorts } from './integrations/vercel/vercel-client';
import type { JobType } from './jobs/job-type';
import type { Timers } from './jobs/timers';
import type { MainClient } from './main/main-client';

export interface CorePorts {
  /** Where the replica lives. `null` keeps everything in memory (tests, benches). */
  dataDir: string | null;
  logger?: Logger;
  /** Wall clock, for display timestamps only: merges never depend on it. */
  clock?: () => Date;
  /**
   * What only the host can do (secrets, the browser, notifications, folder dialogs, power events),
   * over the MainApi RPC: Electron's main process, the web host, or a test's fake. Defaults to a
   * plain-Node main with a key that lives as long as the process (`nodeMain()`).
   */
  main?: MainClient;
  /** HTTP to the relay (whoami, invites); defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Wait before a relay link's reconnect number `attempt`; defaults to back-off with jitter (tests lengthen it). */
  relayRetryDelayMs?: (attempt: number) => number;
  /** When scheduled jobs fire; defaults to node-schedule (tests move a fake by hand, with `clock`). */
  timers?: Timers;
  /**
   * A backup to restore into `dataDir` before the replica opens: what a host passes when it
   * restarts the core for `backups.restore` (MainApi `app.restart`). The outcome, failed or not,
   * is `backups.lastRestore`; a failed restore leaves the replica as it was.
   */
  restoreFrom?: string;
  /**
   * GitHub: the device flow's OAuth client id (hosts pass GROUNDWORK_GITHUB_CLIENT_ID), retries
   * (tests turn them off) and the longest rate-limit wait. Requests go through `fetch` above.
   */
  github?: GithubPorts;
  /** Vercel: the longest 429 wait waited out, how often a followed build is read. Requests go through `fetch` above. */
  vercel?: VercelPorts;
  /** Job types besides the built-in registry (tests' own small types). */
  jobTypes?: readonly JobType[];
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
