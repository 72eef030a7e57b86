/**
 * "Copy branch name": a table of tasks, users and patterns and the names they make; patterns git
 * cannot use refused by name; any title and user make a name git accepts and task-keys.ts links
 * back to the task (property test); and git itself agrees where a git binary is installed.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isApiError } from '../../../contract';
import { branchNameFor, checkBranchPattern, defaultBranchPattern, isValidBranchName } from './branch-name';
import { taskKeyMatcher } from './task-keys';

const cases: [title: string, user: string, pattern: string | undefined, expected: string][] = [
  ['Fix login', 'ana', undefined, 'ana/web-42-fix-login'],
  ['Fix the login form on Safari', 'Ana-Maria', undefined, 'ana-maria/web-42-fix-the-login-form-on-safari'],
  ['Déjà vu: l’œuvre de Łódź & straße', 'ana', undefined, 'ana/web-42-deja-vu-loeuvre-de-lodz-strasse'],
  ["Don't crash when the list is empty", 'ana', undefined, 'ana/web-42-dont-crash-when-the-list-is-empty'],
  ['修复登录 bug', 'ana', undefined, 'ana/web-42-bug'], // other scripts are dropped
  ['修复登录', 'ana', undefined, 'ana/web-42'], // nothing left of the title: no trailing "-"
  ['', '', undefined, 'web-42'], // no login known: no "user/" part
  ['Refs ~1 ^HEAD: what? *all* [x] a\\b ..x @{u} end.lock/', 'ana', undefined, 'ana/web-42-refs-1-head-what-all-x-a-b-x-u-end-lock'],
  ['  spaces\tand\nnewlines  ', 'ana', undefined, 'ana/web-42-spaces-and-newlines'],
  ['.hidden.lock', 'ana', undefined, 'ana/web-42-hidden-lock'],
  [
    'A very long title that goes on and on well past what anyone would like to read in a branch list',
    'ana',
    undefined,
    'ana/web-42-a-very-long-title-that-goes-on-and-on-well-past-what-anyone',
  ],
  ['Supercalifragilisticexpialidocious'.repeat(3), 'ana', undefined, `ana/web-42-${'supercalifragilisticexpialidocious'.repeat(3).slice(0, 60)}`],
  ['Fix login', 'ana', '{key}-{title}', 'web-42-fix-login'],
  ['Fix login', 'ana', 'feature/{key}', 'feature/web-42'],
  ['Fix login', 'ana', '{user}/{key}/{title}', 'ana/web-42/fix-login'],
  ['Fix login', 'ana', 'Team_A/{user}-{key}', 'Team_A/ana-web-42'],
  ['', 'ana', '{user}/{key}-{title}.wip', 'ana/web-42.wip'],
  ['', '', '{user}-{title}-{key}', 'web-42'],
  ['Fix', '', 'team/{user}/{title}_{key}', 'team/fix_web-42'],
  ['', 'ana', '{user}-{title}-{key}', 'ana-web-42'],
];

describe('branchNameFor', () => {
  it.each(cases)('%j by %j with %j → %j', (title, user, pattern, expected) => {
    const name = branchNameFor({ number: 42, title }, 'WEB', user, pattern);
    expect(name).toBe(expected);
    expect(isValidBranchName(name)).toBe(true);
  });

  it('uses {user}/{key}-{title} unless a pattern is given', () => {
    expect(defaultBranchPattern).toBe('{user}/{key}-{title}');
    expect(branchNameFor({ number: 7, title: 'Rate limits' }, 'API2', 'bo')).toBe('bo/api2-7-rate-limits');
  });

  const refused: [pattern: string, message: RegExp][] = [
    ['{user}/{title}', /pattern: must contain \{key\}/],
    ['{user}/{key}-{name}', /pattern: unknown placeholder \{name\}/],
    ['{user} {key}', /pattern: " " cannot be in a branch name/],
    ['{key}~{title}', /pattern: "~" cannot be in a branch name/],
    ['{key}:{title}', /pattern: ":" cannot be in a branch name/],
    ['fix?/{key}', /pattern: "\?" cannot be in a branch name/],
    ['{key}-{', /pattern: "\{" cannot be in a branch name/],
    ['{user}..{key}', /pattern: .* does not make a valid git branch name/],
    ['{key}.lock', /does not make a valid git branch name/],
    ['{user}/{key}/', /does not make a valid git branch name/],
    ['/{key}', /does not make a valid git branch name/],
    ['-{key}', /does not make a valid git branch name/],
    ['.{key}', /does not make a valid git branch name/],
    ['{key}.', /does not make a valid git branch name/],
    ['', /must contain \{key\}/],
  ];
  it.each(refused)('refuses the pattern %j (VALIDATION naming pattern)', (pattern, message) => {
    const attempt = () => branchNameFor({ number: 1, title: 'x' }, 'WEB', 'ana', pattern);
    expect(attempt).toThrow(message);
    try {
      checkBranchPattern(pattern);
      expect.unreachable();
    } catch (err) {
      expect(isApiError(err) && err.code === 'VALIDATION' && err.details).toEqual({ field: 'pattern' });
    }
  });

  it('makes a valid name that links back to its task, whatever the title and user', () => {
    const matcher = taskKeyMatcher(['WEB', 'M2']);
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ maxLength: 50 }),
        fc.constantFrom('WEB', 'M2'),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom(defaultBranchPattern, '{key}-{title}', 'feature/{user}/{key}', '{title}-{key}'),
        (title, user, projectKey, number, pattern) => {
          const name = branchNameFor({ number, title }, projectKey, user, pattern);
          expect(isValidBranchName(name)).toBe(true);
          expect(name.length).toBeLessThanOrEqual(39 + 1 + 8 + 1 + 11 + 1 + 60);
          expect(matcher.find(name, 'branch').map((f) => f.key)).toContain(`${projectKey}-${number}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with git check-ref-format where git is installed', (ctx) => {
    let git = true;
    try {
      execFileSync('git', ['--version'], { stdio: 'ignore' });
    } catch {
      git = false;
    }
    if (!git) {
      console.warn('skipped: no git binary on this machine to compare isValidBranchName with');
      ctx.skip();
    }
    const gitAccepts = (name: string) => {
      try {
        execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };
    const names = [
      ...cases.map(([title, user, pattern]) => branchNameFor({ number: 42, title }, 'WEB', user, pattern)),
      'ana/web-1', 'a..b', 'a/.b', 'a.lock', 'a/b.lock/c', '-a', 'a/', '/a', 'a//b', 'a b', 'a~b', 'a^b', 'a:b', 'a?b', 'a*b', 'a[b',
      'a\\b', 'a@{b', 'a.', 'a\u0001b', 'a\u007fb',
    ];
    for (const name of names) expect({ name, valid: isValidBranchName(name) }).toEqual({ name, valid: gitAccepts(name) });
  });
});
