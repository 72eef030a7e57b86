/**
 * The one seam between the relay and its database. The relay's SQL is written once, in plain
 * Postgres, and runs on two drivers: embedded PGlite (the zero-set-up default) and `pg` against a
 * real Postgres (production, several instances). Anything driver-specific stays behind this.
 */

/** A value the relay binds as a parameter: bytea goes in and comes out as Uint8Array. */
export type SqlValue = string | number | boolean | null | Uint8Array | Date | readonly string[];

export interface SqlQueryable {
  query<Row extends object = Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Sql extends SqlQueryable {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to NOTIFY on `channel`; only drivers that can see other processes' notifications
   * have it (Postgres). Resolves with an unsubscribe function. A subscription whose connection
   * drops renews itself; notifications sent meanwhile are lost, which `onResubscribed` reports.
   */
  listen?(channel: string, onPayload: (payload: string) => void, onResubscribed?: () => void): Promise<() => Promise<void>>;
  /** Human-readable name of the backend, for logs and /readyz. */
  readonly kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}
