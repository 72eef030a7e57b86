/**
 * The Postgres driver (`pg`): a pool for queries and transactions, plus one dedicated client for
 * LISTEN, because a pooled client would hand the subscription to whoever borrows it next.
 */
import pg from 'pg';
import type { Sql, SqlQueryable, SqlValue } from './sql';

// int8 (seq numbers) as JS numbers: 2^53 updates is beyond any relay's lifetime.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** pg returns bytea as Buffer; the relay speaks Uint8Array (Buffer is one, so nothing to convert). */
function queryable(client: pg.Pool | pg.PoolClient): SqlQueryable {
  return {
    async query<Row extends object>(text: string, params: readonly SqlValue[] = []) {
      return (await client.query<Row>({ text, values: params as unknown[], types })).rows;
    },
    async exec(script: string) {
      await client.query(script); // no parameters: the simple protocol, which allows many statements
    },
  };
}

export async function openPostgresSql(connectionString: string, { poolSize = 10 } = {}): Promise<Sql> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client losing its server must not crash the relay; the next query reconnects.
  pool.on('error', () => {});
  await pool.query('SELECT 1'); // fail at start-up, with the driver's message, if unreachable
  const subscriptions = new Set<() => Promise<void>>();

  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload, onResubscribed) {
      let current: pg.Client | null = null;
      let stopped = false;
      let retry: NodeJS.Timeout | null = null;
      const subscribe = async () => {
        const client = new pg.Client({ connectionString });
        client.on('error', () => {}); // followed by 'end', handled there; never an unhandled crash
        client.on('end', () => {
          if (stopped || current !== client) return;
          current = null;
          resubscribe(0);
        });
        client.on('notification', (message) => {
          if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
        });
        try {
          await client.connect();
          await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        } catch (error) {
          await client.end().catch(() => {});
          throw error;
        }
        current = client;
      };
      // Lost (a restarted server, a killed backend): try again with back-off, 0.25 s up to 10 s.
      const resubscribe = (attempt: number) => {
        retry = setTimeout(() => {
          retry = null;
          if (stopped) return;
          subscribe().then(
            () => onResubscribed?.(),
            () => resubscribe(attempt + 1),
          );
        }, Math.min(10_000, 250 * 2 ** attempt));
        retry.unref();
      };
      await subscribe();
      const unsubscribe = async () => {
        stopped = true;
        subscriptions.delete(unsubscribe);
        if (retry) clearTimeout(retry);
        await current?.end().catch(() => {});
      };
      subscriptions.add(unsubscribe);
      return unsubscribe;
    },
    async close() {
      await Promise.all([...subscriptions].map((unsubscribe) => unsubscribe()));
      await pool.end();
    },
  };
}
