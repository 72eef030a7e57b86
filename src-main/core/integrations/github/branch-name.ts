/**
 * "Copy branch name" for a task: `ana/web-42-fix-login` from the pattern a setting holds
 * (`{user}`, `{key}`, `{title}`; default `{user}/{key}-{title}`). The key is written lower-case,
 * as task-keys.ts reads it back from branch names, so a branch made from this name links to its task.
 *
 * What the placeholders bring is slugged to `a-z0-9-` (accents transliterated, other scripts
 * dropped); what the pattern itself says is checked, not rewritten: a pattern git cannot use is a
 * VALIDATION error naming `pattern`, when the setting is saved (`checkBranchPattern`) and when a
 * name is made. Git's rules (`git check-ref-format --branch`) are in `isValidBranchName`; a name
 * made here always passes them, whatever the title or the user (property-tested).
 */
import { ApiError } from '../../../contract';

export const defaultBranchPattern = '{user}/{key}-{title}';

/** About the length of a line in a branch list; the title is cut at a word before this. */
const maxTitleLength = 60;
/** GitHub logins have at most 39 characters. */
const maxUserLength = 39;

const placeholders = new Set(['{user}', '{key}', '{title}']);
const placeholder = /\{[^{}]*\}/g;

/** Letters NFKD does not take apart into a base letter and marks. */
const letters: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŋ: 'n' };

/** `Déjà vu: l'œuvre!` → `deja-vu-loeuvre`; at most `max` characters, cut after a whole word where one ends late enough. */
function slug(text: string, max: number): string {
  const ascii = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæøœłđðþıħŋ]/g, (c) => letters[c]!)
    // "don't" is one word, not "don-t".
    .replace(/['’`]/g, '');
  let result = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (result.length > max) {
    const cut = result.slice(0, max + 1);
    const lastBreak = cut.lastIndexOf('-');
    result = (lastBreak >= max / 2 ? cut.slice(0, lastBreak) : result.slice(0, max)).replace(/-+$/, '');
  }
  return result;
}

/**
 * Git's rules for a branch name (git-check-ref-format): no control characters, spaces or any of
 * `~^:?*[\`; no `..`, `@{` or `//`; no part starting with `.` or ending with `.lock`; not starting
 * with `-` or `/`, not ending with `/` or `.`; not `@`.
 */
export function isValidBranchName(name: string): boolean {
  if (name === '' || name === '@' || name.startsWith('-')) return false;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what git refuses
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{') || name.endsWith('.')) return false;
  return name.split('/').every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'));
}

function invalid(message: string): never {
  throw new ApiError('VALIDATION', `pattern: ${message}`, { field: 'pattern' });
}

/** Throws VALIDATION (naming `pattern`) for a pattern that cannot make a linked, valid branch name. */
export function checkBranchPattern(pattern: string): void {
  const unknown = (pattern.match(placeholder) ?? []).filter((p) => !placeholders.has(p));
  if (unknown.length > 0) invalid(`unknown placeholder ${unknown[0]}; use {user}, {key} and {title}`);
  if (!pattern.includes('{key}')) invalid('must contain {key}, or the branch cannot be linked to its task');
  const literal = pattern.replace(placeholder, '');
  const bad = /[^A-Za-z0-9._/-]/.exec(literal);
  if (bad) invalid(`${JSON.stringify(bad[0])} cannot be in a branch name; use letters, digits, - _ . and /`);
  // The pattern's own structure, with every placeholder filled: `..`, `.lock`, a leading `-`…
  const sample = pattern.replaceAll('{user}', 'u').replaceAll('{key}', 'k-1').replaceAll('{title}', 't');
  if (!isValidBranchName(sample)) invalid(`${JSON.stringify(pattern)} does not make a valid git branch name (no "..", no part starting with "." or ending with ".lock", no leading "-" or "/", no trailing "/" or ".")`);
}

/**
 * The branch name for a task. `user` is the person's GitHub login (or empty: its part of the name
 * is then left out, with its `/`); `projectKey` the task's project key.
 */
export function branchNameFor(task: { number: number; title: string }, projectKey: string, user: string, pattern: string = defaultBranchPattern): string {
  checkBranchPattern(pattern);
  const values: Record<string, string> = {
    '{user}': slug(user, maxUserLength),
    '{key}': `${projectKey.toLowerCase()}-${task.number}`,
    '{title}': slug(task.title, maxTitleLength),
  };
  // An empty user or title goes with one separator beside it (`{user}/` → ``, `-{title}` → ``),
  // so no part of the name is empty and no separator is doubled.
  const name = pattern
    .replace(/([-_./])?(\{user\}|\{title\})([-_./])?/g, (_, before: string | undefined, p: string, after: string | undefined) =>
      values[p] ? `${before ?? ''}${values[p]}${after ?? ''}` : before && after ? after : '',
    )
    .replace('{key}', values['{key}']!);
  if (!isValidBranchName(name)) invalid(`${JSON.stringify(pattern)} made ${JSON.stringify(name)}, which git refuses`);
  return name;
}
