/**
 * The web host with the scheduler's small test job types registered (`test.ok`, `test.wait`,
 * `test.flaky`, core/jobs/testing/test-job-types.ts) — for e2e/web/jobs.spec.ts only, so the Jobs
 * page can be driven end to end before (or without) the real job types. The shipped host
 * (src-main/host/main.ts) never registers them. Same CLI and the same one stdout line.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import pino from 'pino';
import { testJobTypes } from '../../src-main/core/jobs/testing/test-job-types';
import { startWebHost } from '../../src-main/host/web-host';

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, 'key-file': { type: 'string' }, demo: { type: 'boolean', default: false } },
});
const logger = pino({ name: 'groundwork-web-e2e-jobs' }, pino.destination(2));
const host = await startWebHost({
  port: Number(values.port ?? 0),
  dataDir: resolve(values['data-dir']!),
  secretKeyFile: values['key-file'],
  demo: values.demo,
  logger,
  jobTypes: testJobTypes,
});
process.stdout.write(`Groundwork web: ${host.url}\n`);
const stop = () => {
  host.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
