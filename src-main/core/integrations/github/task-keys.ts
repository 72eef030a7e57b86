/**
 * Task keys (`WEB-42`) in what GitHub holds: branch names, pull-request titles and bodies, commit
 * messages. Two steps, so the sync job can scan thousands of texts cheaply:
 *
 * 1. `taskKeyMatcher(projectKeys)`, built once per workspace from its project keys (current and
 *    former, `workspaceProjectKeys`), finds keys in text with one regex pass that matches only the
 *    workspace's keys: no database, nothing allocated for text without them.
 * 2. `resolveTaskKeys` turns the keys found (deduplicated over a whole sync) into task ids with one
 *    query, old keys included: a task renumbered after offline work (tasks/task-numbers.ts) or a
 *    project whose key changed is still found by the key people wrote in their commits.
 *
 * What counts as a key (decided here, tested in task-keys.test.ts):
 * - The key of a project of the workspace (the contract's `projectKey` rule: 2–10 letters or
 *   digits, starting with a letter), `-`, and a task number without leading zeros (`WEB-0`,
 *   `WEB-042` are not keys: numbers start at 1 and the app never writes a zero in front; a zero in
 *   front is a version, a date or a serial of something else). At most 2,147,483,647 (a task
 *   number is an int32).
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
import { projectKey as projectKeyRule } from '../../../contract';
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

/** Task numbers are int32 (the `tasks.number` column). */
const maxTaskNumber = 2 ** 31 - 1;
const magicWords = new Set(['fix', 'fixes', 'fixed', 'close', 'closes', 'closed', 'resolve', 'resolves', 'resolved']);

/**
 * One regex per workspace naming its keys (`\b(?:API|W(?:EB|WW))-[1-9]…`), so only keys of the
 * workspace are ever matched: text without them is scanned by the regex engine alone, and nothing
 * is copied or looked up for a `JIRA-12`. A generic key-shaped regex plus a Set lookup per
 * candidate cost 2.5–3× the bare regex in bench/github-keys.ts; this costs 1.7–2×. `\b` (text) and
 * a non-alphanumeric character (branches, where `_` separates too) keep keys out of words; after
 * the number, no letter, digit or `_`, and no `.digit` (`WEB-4.2` is a version).
 */
export function taskKeyMatcher(projectKeys: Iterable<string>): TaskKeyMatcher {
  const known = new Set<string>();
  // The contract's rule (2–10 letters or digits, starting with a letter, upper-cased): anything
  // else is no project key, and could not be put into the regex safely either.
  for (const key of projectKeys) {
    const valid = projectKeyRule.safeParse(key);
    if (valid.success) known.add(valid.data);
  }
  if (known.size === 0) return { find: () => [] };
  const alternatives = trieSource([...known]);
  const number = '[1-9][0-9]{0,9}';
  const inText = new RegExp(`\\b(?:${alternatives})-${number}(?![A-Za-z0-9_]|\\.[0-9])`, 'g');
  const inBranch = new RegExp(`(?:^|[^A-Za-z0-9])(?:${alternatives})-${number}(?![A-Za-z0-9]|\\.[0-9])`, 'gi');

  // Written for the sync job's thousands of texts: no match arrays, char codes rather than
  // one-letter strings, a small array rather than a Map per text.
  return {
    find(text, source = 'text') {
      const branch = source === 'branch';
      const pattern = branch ? inBranch : inText;
      const found: FoundTaskKey[] = [];
      pattern.lastIndex = 0;
      // `test` rather than `exec`: no match array per key. The key's start is found by reading
      // back from its end over its number, `-` and letters/digits; the regex guarantees the
      // character before it is none of those.
      while (pattern.test(text)) {
        const end = pattern.lastIndex;
        let dash = end - 1;
        while (text.charCodeAt(dash) !== DASH) dash--;
        let start = dash - 2;
        while (start > 0 && isAlphanumeric(text.charCodeAt(start - 1))) start--;
        if (!branch && insideUrl(text, start)) continue;
        let number = 0;
        for (let i = dash + 1; i < end; i++) number = number * 10 + text.charCodeAt(i) - 48;
        if (number > maxTaskNumber) continue;
        const key = branch ? text.slice(start, end).toUpperCase() : text.slice(start, end);
        const closing = !branch && closedByMagicWord(text, start);
        let seen: FoundTaskKey | undefined;
        for (const f of found) if (f.key === key) seen = f;
        if (seen) seen.closing ||= closing;
        else found.push({ key, projectKey: key.slice(0, dash - start), number, closing });
      }
      return found;
    },
  };
}

/**
 * The keys as a regex trie (`WEB|WWW|API` → `A(?:P(?:I))|W(?:E(?:B)|W(?:W))`): the engine follows
 * one branch per letter instead of trying every key at every position, which matters as projects grow (bench
 * `--projects 300`). Keys are letters and digits only (the contract's rule), nothing to escape.
 */
function trieSource(keys: string[]): string {
  const byFirst = new Map<string, string[]>();
  for (const key of keys) {
    const rest = byFirst.get(key[0]!) ?? [];
    rest.push(key.slice(1));
    byFirst.set(key[0]!, rest);
  }
  const branches = [...byFirst].sort(([a], [b]) => (a < b ? -1 : 1)).map(([first, rests]) => {
    const ends = rests.includes('');
    const longer = rests.filter((r) => r !== '');
    if (longer.length === 0) return first;
    const inner = trieSource(longer);
    // A key that is a prefix of another (WEB, WEB2) ends here too: the longer one is tried first.
    return `${first}(?:${inner})${ends ? '?' : ''}`;
  });
  return branches.join('|');
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const COMMA = 44;
const AMPERSAND = 38;
const COLON = 58;
const SLASH = 47;
const DASH = 45;
const isSpace = (c: number) => c === SPACE || c === LF || c === TAB || c === CR;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlphanumeric = (c: number) => isLetter(c) || isDigit(c);
const isWordChar = (c: number) => isAlphanumeric(c) || c === 95;
/** Between a magic word and its keys, and between the keys of its list: `Fixes: #WEB-1, WEB-2 & WEB-3`. */
const isListSeparator = (c: number) => isSpace(c) || c === COMMA || c === AMPERSAND || c === HASH || c === COLON;
/** A key-shaped word of a list (`ABC-12`, known or not): upper-case letters and digits, `-`, digits. */
const listedKey = /^[A-Z][A-Z0-9]{1,9}-[0-9]+$/;
/** A list longer than this is not "fixes A, B and C" any more; the walk back stays short. */
const maxListWalk = 200;

/**
 * Whether the key at `keyStart` is closed by a magic word: reading backwards over separators,
 * `and` and other keys (`Fixes WEB-1, ABC-2 and WEB-3` closes WEB-1 and WEB-3), the first other
 * word must be a magic word.
 */
function closedByMagicWord(text: string, keyStart: number): boolean {
  let i = keyStart;
  const limit = Math.max(0, keyStart - maxListWalk);
  for (;;) {
    while (i > limit && isListSeparator(text.charCodeAt(i - 1))) i--;
    if (i === keyStart || i <= limit) return false;
    const wordEnd = i;
    while (i > limit && (isWordChar(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) === DASH)) i--;
    const length = wordEnd - i;
    // Most words before a key are no magic word and no key; decided without copying them.
    if (length < 3) return false;
    const last = text.charCodeAt(wordEnd - 1);
    if (isDigit(last)) {
      if (!listedKey.test(text.slice(i, wordEnd))) return false;
      continue;
    }
    if (length > 8) return false;
    const word = text.slice(i, wordEnd).toLowerCase();
    if (word === 'and') continue;
    return magicWords.has(word);
  }
}

/**
 * Whether the key at `start` is part of a URL: the run of text it is in (back to a space, `(`,
 * `<` or `"`) has `://` or starts with `www.`. Read backwards in place, without copying.
 */
function insideUrl(text: string, start: number): boolean {
  let i = start;
  for (let c = text.charCodeAt(i - 1); i > 0 && !isSpace(c) && c !== 40 /* ( */ && c !== 60 /* < */ && c !== 34 /* " */; c = text.charCodeAt(--i - 1)) {
    if (c === COLON && text.charCodeAt(i) === SLASH && text.charCodeAt(i + 1) === SLASH) return true;
  }
  return (text.charCodeAt(i) | 0x20) === 119 && (text.charCodeAt(i + 1) | 0x20) === 119 && (text.charCodeAt(i + 2) | 0x20) === 119 && text.charCodeAt(i + 3) === 46;
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
