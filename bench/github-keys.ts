/**
 * Task-key linking throughput (issue 10, github-sync's key part): the workspace's matcher
 * (`taskKeyMatcher`: candidates, project-key lookup, URLs, magic words, dedup per text) over
 * ~10,000 realistic texts — commit messages, PR titles and bodies, branch names from a seeded
 * generator — against a bare regex pass (`/\b[A-Z][A-Z0-9]{1,9}-\d+\b/g`, collecting its matches)
 * over the same texts in the same run. Rounds alternate matcher and baseline, so drift hits both
 * alike; the figures are medians over rounds. Goal: matcher ≤ 2× the bare regex.
 *
 *   npx tsx bench/github-keys.ts [--texts 10000] [--rounds 30] [--projects 20]
 */
import { performance } from 'node:perf_hooks';
import { taskKeyMatcher, type KeySource } from '../src-main/core/integrations/github/task-keys';
import { machine, median, numberArg, report, rng, round } from './support/lib';

const TEXTS = numberArg('texts', 10_000);
const ROUNDS = numberArg('rounds', 30);
const PROJECTS = numberArg('projects', 20);

const random = rng(10);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

// The workspace: PROJECTS keys (2–5 letters, some with a digit), a few former keys among them.
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const projectKeys = new Set<string>(['WEB', 'API', 'APP']);
while (projectKeys.size < PROJECTS) {
  const length = 2 + Math.floor(random() * 4);
  let key = '';
  for (let i = 0; i < length; i++) key += i > 0 && chance(0.1) ? String(Math.floor(random() * 10)) : pick([...letters]);
  projectKeys.add(key);
}
const keys = [...projectKeys];
const foreignKeys = ['JIRA', 'OPS', 'SEC', 'INFRA', 'UTF', 'ISO', 'RFC', 'CVE'];

const verbs = ['Fix', 'Add', 'Update', 'Remove', 'Refactor', 'Improve', 'Handle', 'Bump', 'Document', 'Test', 'Revert', 'Merge'];
const things = [
  'login form', 'rate limiter', 'board virtualisation', 'CSV export', 'dark mode contrast', 'sync status badge', 'relay reconnect',
  'task numbering', 'project key suggestion', 'webhook retries', 'deploy workflow', 'search index', 'settings page', 'cron parser',
  'undo of moves', 'PGlite migrations', 'date picker', 'keyboard shortcuts', 'Yjs text merge', 'notification centre',
];
const extras = ['on Safari', 'after sleep', 'for big projects', 'when offline', 'in the web host', 'for viewers', '', '', ''];
const magic = ['Fixes', 'fixes', 'Closes', 'closes', 'Resolves', 'fix:', 'Closed', 'resolved'];
const logins = ['ana', 'bo', 'chen-li', 'dmitri', 'eva', 'farah', 'dependabot[bot]'];

const taskKey = () => `${pick(keys)}-${1 + Math.floor(random() * 3000)}`;
const foreignKey = () => `${pick(foreignKeys)}-${1 + Math.floor(random() * 9000)}`;
const subject = () => `${pick(verbs)} ${pick(things)} ${pick(extras)}`.trim();
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function commitMessage(): string {
  const r = random();
  let head: string;
  if (r < 0.35) head = `${taskKey()} ${subject()}`;
  else if (r < 0.5) head = `${subject()} (${taskKey()})`;
  else if (r < 0.6) head = `[${taskKey()}] ${subject()}`;
  else if (r < 0.65) head = `${subject()} (${foreignKey()})`;
  else head = `${pick(['fix', 'feat', 'chore', 'docs', 'refactor'])}: ${subject().toLowerCase()}`;
  if (!chance(0.4)) return head;
  const body = [
    `${subject()}: the previous version ${pick(['dropped', 'duplicated', 'delayed', 'reordered'])} ${pick(things)} ${pick(extras)}.`,
    chance(0.3) ? `${pick(magic)} ${taskKey()}` : '',
    chance(0.15) ? `See https://sentry.io/organizations/acme/issues/${foreignKey()}/ and COVID-19 notes.` : '',
    chance(0.5) ? `Co-authored-by: ${pick(logins)} <${pick(logins)}@users.noreply.github.com>` : '',
  ].filter(Boolean);
  return `${head}\n\n${body.join('\n')}`;
}

function pullRequest(): string {
  const title = chance(0.6) ? `${taskKey()}: ${subject()}` : subject();
  if (chance(0.5)) return title;
  const body = [
    '## What',
    `${subject()} and ${pick(things)} ${pick(extras)}.`,
    '## Why',
    `Reported in ${chance(0.5) ? taskKey() : foreignKey()}; related to ${taskKey()} and ${taskKey()}.`,
    chance(0.5) ? `${pick(magic)} ${taskKey()}${chance(0.3) ? `, ${taskKey()} and ${taskKey()}` : ''}` : '',
    chance(0.3) ? `Screenshots: https://github.com/acme/app/assets/${Math.floor(random() * 1e9)}/${taskKey()}.png` : '',
    '- [x] tests\n- [ ] docs',
  ].filter(Boolean);
  return `${title}\n\n${body.join('\n\n')}`;
}

function branchName(): string {
  const r = random();
  if (r < 0.6) return `${pick(logins.slice(0, 6))}/${taskKey().toLowerCase()}-${slug(subject())}`;
  if (r < 0.75) return `feature/${taskKey()}`;
  if (r < 0.85) return `dependabot/npm_and_yarn/${pick(['vite', 'react', 'zod', 'yjs'])}-${1 + Math.floor(random() * 9)}.${Math.floor(random() * 20)}.0`;
  return `${pick(['fix', 'chore', 'release'])}/${slug(subject())}`;
}

const texts: { text: string; source: KeySource }[] = [];
for (let i = 0; i < TEXTS; i++) {
  const r = random();
  if (r < 0.6) texts.push({ text: commitMessage(), source: 'text' });
  else if (r < 0.8) texts.push({ text: pullRequest(), source: 'text' });
  else texts.push({ text: branchName(), source: 'branch' });
}
const characters = texts.reduce((sum, t) => sum + t.text.length, 0);
console.log(`github-keys: ${texts.length} texts (${Math.round(characters / 1024)} KiB), ${keys.length} project keys, ${ROUNDS} rounds`);

const matcher = taskKeyMatcher(keys);
const bare = /\b[A-Z][A-Z0-9]{1,9}-\d+\b/g;

/** One pass of the matcher; the count keeps the work from being optimised away. */
function matcherPass(): number {
  let found = 0;
  for (const { text, source } of texts) found += matcher.find(text, source).length;
  return found;
}
/** One pass of the bare regex, collecting its matches as a real caller would. */
function barePass(): number {
  let found = 0;
  for (const { text } of texts) found += text.match(bare)?.length ?? 0;
  return found;
}

// Warm-up: both code paths compiled and optimised before measuring.
for (let i = 0; i < 5; i++) {
  matcherPass();
  barePass();
}
const matcherMs: number[] = [];
const bareMs: number[] = [];
let matcherFound = 0;
let bareFound = 0;
for (let i = 0; i < ROUNDS; i++) {
  // Alternate which goes first, so neither always runs on a warmer cache.
  const order = i % 2 === 0 ? (['matcher', 'bare'] as const) : (['bare', 'matcher'] as const);
  for (const which of order) {
    const t = performance.now();
    if (which === 'matcher') matcherFound = matcherPass();
    else bareFound = barePass();
    (which === 'matcher' ? matcherMs : bareMs).push(performance.now() - t);
  }
}
const closing = texts.reduce((n, { text, source }) => n + matcher.find(text, source).filter((f) => f.closing).length, 0);

const m = median(matcherMs);
const b = median(bareMs);
const perSecond = (ms: number) => Math.round((texts.length / ms) * 1000);
console.log(`matcher: ${round(m, 2)} ms per pass (${perSecond(m).toLocaleString('en')} texts/s), ${matcherFound} keys (${closing} closing)`);
console.log(`bare regex: ${round(b, 2)} ms per pass (${perSecond(b).toLocaleString('en')} texts/s), ${bareFound} matches (any key-shaped text, known or not, branch names missed)`);
console.log(`ratio matcher / bare regex: ${round(m / b, 2)} (goal ≤ 2)`);
report({
  bench: 'github-keys',
  texts: texts.length,
  kib: Math.round(characters / 1024),
  project_keys: keys.length,
  rounds: ROUNDS,
  matcher_ms: round(m, 3),
  bare_ms: round(b, 3),
  matcher_texts_per_s: perSecond(m),
  keys_found: matcherFound,
  closing_found: closing,
  bare_matches: bareFound,
  ratio_vs_bare: round(m / b, 2),
  machine: machine(),
});
