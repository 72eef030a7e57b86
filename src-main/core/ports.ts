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

export interface CorePorts {
  /** Where the replica lives. `null` keeps everything in memory (tests, benches). */
  dataDir: string | null;
  logger?: Logger;
  /** Wall clock, for display timestamps only: merges never depend on it. */
  clock?: () => Date;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
