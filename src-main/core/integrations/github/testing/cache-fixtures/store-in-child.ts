/**
 * Run as a child process by http-cache.test.ts, which kills it (SIGKILL) mid-way: opens a core on
 * argv[2] and keeps replacing one cache entry, alternating two recorded answers of the same URL,
 * printing one JSON line `{ stored }` after each. A bounded loop: it ends by itself if never killed.
 */
import { Octokit } from 'octokit';
import { createCore } from '../../../../core';
import { attachHttpCache } from '../../http-cache';
import { recordings, startEtagReplay } from './etag-replay-server';

const [dataDir] = process.argv.slice(2);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0)); // the test went away
try {
  const core = await createCore({ dataDir: dataDir! });
  const replay = await startEtagReplay();
  const octokit = new Octokit({ baseUrl: replay.baseUrl, auth: 'token-of-child', retry: { enabled: false }, throttle: { enabled: false } });
  const cache = attachHttpCache(octokit, { db: core.internals.db, account: 'child' });
  const answers = [recordings('pulls-list'), recordings('commit-pulls-list')];
  for (let i = 0; i < 1_000; i++) {
    replay.serve(answers[i % 2]!, '/repos/octokit/octokit.rb/pulls');
    await octokit.rest.pulls.list({ owner: 'octokit', repo: 'octokit.rb' });
    console.log(JSON.stringify({ stored: cache.stats().stored }));
  }
  await replay.close();
  await core.close();
  process.exit(0);
} catch (error) {
  console.log(JSON.stringify({ error: String(error) }));
  process.exit(1);
}
