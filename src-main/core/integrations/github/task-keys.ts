/**
 * Task keys (`WEB-42`) in what GitHub holds: branch names, pull-request titles and bodies, commit
 * messages. Two steps, so the sync job can scan thousands of texts cheaply:
 *
 * 1. `taskKeyMatcher(projectKeys)`, built once per workspace from its project keys (current and
 *    former, `workspaceProjectKeys`), finds keys in text with one regex pass and a Set lookup per
 *    candidate: no database, no allocation per text beyond the results.
 * 2. `resolveTaskKeys` turns the keys found (deduplicated over a whole sync) into task ids with one
 *    query, old keys included: a task renumbered after offline work (tasks/task-numbers.ts) or a
 *    project whose key changed is still found by the key people wrote in their commits.
 *
 * What counts as a key (decided here, tested in task-keys.test.ts):
 * - The key of a project of the workspace (the contract's `projectKey` rule: 2–10 letters or
 *   digits, starting with a letter), `-`, and a task number without leading zeros (`WEB-0`,
 *   `WEB-042` are not keys: numbers start at 1 and the app never writes a zero in front; a zero in
 *   front is a version, a date or a serial of something else). At most 10 digits and within range (a task number is
 *   an int32: up to 2,147,483,647).
 * - Not inside a word: `XWEB-42`, `WEB-42X`, `WEB-42_1` and `WEB-4.2` are not keys.
 * - In text (titles, bodies, commits) the project key is upper-case, as the app shows it:
 *   lower-case `web-42` in prose is too often something else (`top-10`, `covid-19`). In a branch
 *   name keys are lower-case (`ana/web-42-fix-login`), so the case is ignored there and `_`, `.`,
 *   `/` and `-` all separate words.
 * - Never inside a URL: a link names a page of another system (Jira, Sentry, another tracker)
 *   whose keys can look like ours, and Groundwork has no web address of its own for a task.
 *
 * Magic words (text only): `fix|fixes|fixed|close|closes|closed|resolve|resolves|resolved`, any
 * case, an optional colon and an optional `#`, then a key (`Fixes: WEB-42`, `closes #WEB-42`)
 * mark that key as closing — GitHub's own keyword list. A list continues the word
 * (`fixes WEB-1, WEB-2 and WEB-3`). The sync job moves a closing task to done when the PR merges.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { DocStore } from '../../sync/doc-store';

/** A key found in a text; each key once per text, closing if any of its mentions closes it. */
export interface FoundTaskKey {
  /** As the app writes it: `WEB-42` (upper-case even when found in a branch name). */
  key: string;
  projectKey: string;
  number: number;
  /** Named after a magic word (`fixes WEB-42`): the task is to be done when the PR merges. */
  closing: boolean;
}

/** Branch names ignore case and never close; other texts (titles, bodies, commits) see below. */
export type KeySource = 'text' | 'branch';

export interface TaskKeyMatcher {
  find(text: string, source?: KeySource): FoundTaskKey[];
}

/**
 * Candidates: anything shaped like a key, not inside a word. The project key is checked against
 * the workspace's keys afterwards (a Set lookup): one pass whatever the number of projects, where
 * an alternation of every key would grow with them. `.digit` after the number is a version
 * (`WEB-4.2`), not a key.
 */
const textCandidate = /(?<![A-Za-z0-9_])([A-Z][A-Z0-9]{1,9})-([1-9][0-9]{0,9})(?![A-Za-z0-9_]|\.[0-9])/g;
const branchCandidate = /(?<![A-Za-z0-9])([A-Za-z][A-Za-z0-9]{1,9})-([1-9][0-9]{0,9})(?![A-Za-z0-9]|\.[0-9])/g;

/** Task numbers are int32 (the `tasks.number` column). */
const maxTaskNumber = 2 ** 31 - 1;
const magicWords = new Set(['fix', 'fixes', 'fixed', 'close', 'closes', 'closed', 'resolve', 'resolves', 'resolved']);
/** What may stand between two keys of one closing list: `, ` ` and ` ` & ` (and a `#`). */
const listSeparator = /^[\s,&]*(?:and[\s,]+)?#?$/i;

export function taskKeyMatcher(projectKeys: Iterable<string>): TaskKeyMatcher {
  const known = new Set<string>();
  for (const key of projectKeys) known.add(key.toUpperCase());

  return {
    find(text, source = 'text') {
      const branch = source === 'branch';
      const pattern = branch ? branchCandidate : textCandidate;
      const found = new Map<string, FoundTaskKey>();
      // The previous candidate's end and whether it closed: a list after a magic word closes on.
      let previousEnd = -1;
      let previousClosing = false;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
        const projectKey = branch ? m[1]!.toUpperCase() : m[1]!;
        const start = m.index;
        const end = start + m[0].length;
        if (!branch && insideUrl(text, start)) {
          previousEnd = -1;
          continue;
        }
        const closing: boolean =
          !branch &&
          ((previousClosing && previousEnd >= 0 && listSeparator.test(text.slice(previousEnd, start))) || afterMagicWord(text, start));
        previousEnd = end;
        previousClosing = closing;
        if (!known.has(projectKey) || (m[2]!.length === 10 && Number(m[2]) > maxTaskNumber)) continue;
        const key = `${projectKey}-${m[2]!}`;
        const seen = found.get(key);
        if (seen) seen.closing ||= closing;
        else found.set(key, { key, projectKey, number: Number(m[2]), closing });
      }
      return [...found.values()];
    },
  };
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isLetter = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isWordChar = (c: string | undefined) => c !== undefined && (isLetter(c) || (c >= '0' && c <= '9') || c === '_');

/** `fixes WEB-42`, `Closes: #WEB-42`: reads backwards from the key over `#`, spaces, `:` and one word. */
function afterMagicWord(text: string, keyStart: number): boolean {
  let i = keyStart;
  if (text[i - 1] === '#') i--;
  while (isSpace(text[i - 1])) i--;
  if (text[i - 1] === ':') i--;
  while (isSpace(text[i - 1])) i--;
  let j = i;
  // The longest magic word has 8 letters: a longer run of letters is another word (`prefixes`).
  while (i - j <= 8 && isLetter(text[j - 1])) j--;
  if (j === i || isWordChar(text[j - 1])) return false;
  return magicWords.has(text.slice(j, i).toLowerCase());
}

/** Whether the candidate at `start` is part of a URL: the run of non-space text it is in has `://` or starts `www.`. */
function insideUrl(text: string, start: number): boolean {
  let i = start;
  while (i > 0 && !isSpace(text[i - 1]) && text[i - 1] !== '(' && text[i - 1] !== '<' && text[i - 1] !== '"') i--;
  const before = text.slice(i, start);
  return before.includes('://') || before.toLowerCase().startsWith('www.');
}

/** What the resolver reads: the replica, and the doc store to settle the change history first. */
export interface KeyReplica {
  db: Pick<PGlite, 'query'>;
  docs: Pick<DocStore, 'settle'>;
}

/**
 * The keys a matcher of the workspace must know: every live project's key and every key a live
 * project had before (recorded in the change history, `0010_task_key_history.sql` indexes it).
 */
export async function workspaceProjectKeys({ db, docs }: KeyReplica, workspaceId: string): Promise<string[]> {
  await docs.settle();
  const { rows } = await db.query<{ key: string }>(
    `SELECT key FROM projects WHERE workspace_id = $1 AND deleted_at IS NULL
     UNION
     SELECT h.old_value::json #>> '{}' FROM projects p
     JOIN change_history h ON h.project_id = p.id AND h.entity = 'project' AND h.field = 'key'
     WHERE p.workspace_id = $1 AND p.deleted_at IS NULL AND h.old_value IS NOT NULL AND h.old_value <> 'null'`,
    [workspaceId],
  );
  return rows.map((r) => r.key);
}

/** A task a key names. */
export interface KeyHolder {
  taskId: string;
  projectId: string;
  /** The task has this key now; false: it had it before (renumbered, or its project's key changed). */
  current: boolean;
}

export interface ResolvedTaskKey extends FoundTaskKey {
  /** Every live task the key names, the current holder first. Empty: no such task (or deleted). */
  tasks: KeyHolder[];
  /**
   * The task a merged PR closes: a closing key naming exactly one task. A key that names two
   * (the task that kept `WEB-5` and the one renumbered away from it) closes neither — guessing
   * wrong would move someone else's task to done — but stays a mention of both.
   */
  closesTaskId: string | null;
}

/**
 * Task ids for keys found in a workspace's texts, in one query. A key names the task that has it
 * now and every task that had it before: a former number of the task (change history of the
 * task's `number`) under a current or former key of its project (history of the project's `key`).
 * Deleted tasks and projects name nothing.
 */
export async function resolveTaskKeys(replica: KeyReplica, workspaceId: string, found: readonly FoundTaskKey[]): Promise<ResolvedTaskKey[]> {
  const byKey = new Map<string, FoundTaskKey>();
  for (const f of found) {
    const seen = byKey.get(f.key);
    byKey.set(f.key, seen ? { ...seen, closing: seen.closing || f.closing } : f);
  }
  const wanted = [...byKey.values()];
  if (wanted.length === 0) return [];
  await replica.docs.settle();
  const { rows } = await replica.db.query<{ key: string; task_id: string; project_id: string; current: boolean }>(
    `WITH wanted AS (
       SELECT * FROM unnest($2::text[], $3::int[]) AS w(project_key, number)),
     live AS (SELECT id, key FROM projects WHERE workspace_id = $1 AND deleted_at IS NULL),
     keyed AS (
       SELECT w.project_key, w.number, p.id AS project_id, true AS key_current
       FROM wanted w JOIN live p ON p.key = w.project_key
       UNION
       SELECT w.project_key, w.number, p.id, false
       FROM wanted w
       JOIN change_history h ON h.old_value = to_json(w.project_key)::text AND h.field = 'key' AND h.entity = 'project'
       JOIN live p ON p.id = h.project_id),
     held AS (
       SELECT k.project_key, k.number, t.id AS task_id, t.project_id, k.key_current AS current
       FROM keyed k JOIN tasks t ON t.project_id = k.project_id AND t.number = k.number
       UNION
       SELECT k.project_key, k.number, h.entity_id, k.project_id, false
       FROM keyed k
       JOIN change_history h ON h.old_value = k.number::text AND h.project_id = k.project_id AND h.field = 'number' AND h.entity = 'task')
     SELECT h.project_key || '-' || h.number AS key, h.task_id, h.project_id, bool_or(h.current) AS current
     FROM held h JOIN tasks t ON t.id = h.task_id AND t.deleted_at IS NULL
     GROUP BY h.project_key, h.number, h.task_id, h.project_id
     ORDER BY key, bool_or(h.current) DESC, h.task_id`,
    [workspaceId, wanted.map((w) => w.projectKey), wanted.map((w) => w.number)],
  );
  const holders = new Map<string, KeyHolder[]>();
  for (const row of rows) {
    const list = holders.get(row.key) ?? [];
    list.push({ taskId: row.task_id, projectId: row.project_id, current: row.current });
    holders.set(row.key, list);
  }
  return wanted.map((w) => {
    const tasks = holders.get(w.key) ?? [];
    return { ...w, tasks, closesTaskId: w.closing && tasks.length === 1 ? tasks[0]!.taskId : null };
  });
}
