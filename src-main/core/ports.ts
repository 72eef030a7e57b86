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

import type { SecretSealer } from './sync/secrets';

export interface CorePorts {
  /** Where the replica lives. `null` keeps everything in memory (tests, benches). */
  dataDir: string | null;
  logger?: Logger;
  /** Wall clock, for display timestamps only: merges never depend on it. */
  clock?: () => Date;
  /** Seals relay tokens before they are stored; defaults to a key that lives as long as the process. */
  secrets?: SecretSealer;
  /** HTTP to the relay (whoami, invites); defaults to the global fetch. */
  fetch?: typeof fetch;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
