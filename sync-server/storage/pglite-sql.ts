/**
 * The embedded driver: PGlite in this process, on a data dir (or in memory for tests). PGlite is
 * single-connection and single-process, so LISTEN is not offered (no other relay can share it)
 * and the caller must hold the data dir lock.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Sql, SqlQueryable, SqlValue } from './sql';

export async function openPgliteSql(dataDir?: string): Promise<Sql> {
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const queryable = (q: Pick<PGlite, 'query' | 'exec'>): SqlQueryable => ({
    async query<Row extends object>(text: string, params: readonly SqlValue[] = []) {
      return (await q.query<Row>(text, params as unknown[])).rows;
    },
    async exec(script: string) {
      await q.exec(script);
    },
  });
  return {
    kind: 'pglite',
    ...queryable(db),
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    close: () => db.close(),
  };
}
