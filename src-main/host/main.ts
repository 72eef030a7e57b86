/**
 * `npm run web` — the web host CLI. Prints exactly one line on stdout (the URL to open, token
 * included) so scripts and tests can read it; everything else is pino on stderr.
 *
 *   --port P       default 5710, or the next free port after it (said in one line); 0 picks any
 *                  free port; a chosen port that is taken stops the host with a line saying so
 *   --data-dir D   default: the per-user data dir shared with the desktop app
 *   --token T      default: the data dir's own token, made once and kept beside the key file
 *                  (webTokenFor), so tabs open before a restart reconnect
 *   --key-file K   the key sealing relay tokens (created if missing); default GROUNDWORK_KEY_FILE,
 *                  else a per-user config file outside the data dir (defaultSecretKeyFile)
 *   --demo         add the demo workspace (beside any others) and switch to it
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import pino from 'pino';
import { defaultDataDir } from './default-data-dir';
import { secretKeyFileFor, startWebHost } from './web-host';

const defaultPort = 5710;
const usage = 'usage: npm run web -- [--port 5710] [--data-dir DIR] [--token TOKEN] [--key-file FILE] [--demo]';

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        token: { type: 'string' },
        'key-file': { type: 'string' },
        demo: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.error(usage);
    return;
  }
  const port = Number(values.port ?? defaultPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer from 0 to 65535, got "${values.port}"\n${usage}`);
    process.exit(2);
  }

  const logger = pino({ name: 'groundwork-web' }, pino.destination(2));
  const dataDir = resolve(values['data-dir'] ?? process.env.GROUNDWORK_DATA_DIR ?? defaultDataDir());
  const secretKeyFile = secretKeyFileFor(values['key-file']);
  logger.info({ dataDir, secretKeyFile }, 'starting');

  let host;
  try {
    host = await startWebHost({ port, orNextFreePort: values.port === undefined, dataDir, token: values.token, demo: values.demo, secretKeyFile, logger });
  } catch (error) {
    // Expected failures (lock held, renderer not built, port taken) read as one clear sentence;
    // anything without a message (a thrown non-Error, an empty message) is printed whole.
    const message = error instanceof Error && error.message ? error.message : String(error);
    console.error(`Groundwork web: ${message}`);
    process.exit(1);
  }
  for (const note of host.notes) console.error(`Groundwork web: ${note}`);
  process.stdout.write(`Groundwork web: ${host.url}\n`);

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // Closing the core releases the data-dir lock; a second signal forces the exit.
    process.once('SIGINT', () => process.exit(130));
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
