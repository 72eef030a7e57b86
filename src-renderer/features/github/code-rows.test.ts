import { describe, expect, it } from 'vitest';
import type { GithubDeployment, GithubPull } from '../../../src-main/contract';
import { deploymentRow, outcomeChip, pullRow } from './code-rows';

const now = Date.parse('2026-11-29T12:00:00Z');

describe('code rows', () => {
  it('a pull request says its state, review and checks in words', () => {
    const pull: GithubPull = {
      repo: 'acme/web',
      number: 12,
      title: 'Fix the login',
      state: 'open',
      author: 'ana',
      headRef: 'ana/web-1-fix',
      baseRef: 'main',
      url: 'https://github.com/acme/web/pull/12',
      reviewState: 'changes_requested',
      checks: 'failure',
      createdAt: '2026-11-28T12:00:00Z',
      updatedAt: '2026-11-29T11:58:00Z',
      mergedAt: null,
      taskIds: ['t1'],
    };
    const row = pullRow(pull, now);
    expect(row.prefix).toBe('#12');
    expect(row.chips.map((c) => c.label)).toEqual(['Open', 'Changes requested', 'Checks failed']);
    expect(row.chips.map((c) => c.tone)).toEqual(['busy', 'warn', 'bad']);
    expect(row.facts).toEqual(['ana', 'ana/web-1-fix → main', 'updated 2 min ago']);
    expect(pullRow({ ...pull, state: 'draft', reviewState: null, checks: null }, now).chips).toEqual([{ tone: 'plain', label: 'Draft' }]);
  });

  it("runs' and deployments' states read as GitHub says them, toned", () => {
    expect(outcomeChip('in_progress')).toEqual({ tone: 'busy', label: 'In progress' });
    expect(outcomeChip('success')).toEqual({ tone: 'good', label: 'Success' });
    expect(outcomeChip('failure').tone).toBe('bad');
    expect(outcomeChip('cancelled').tone).toBe('warn');
    expect(outcomeChip('inactive')).toEqual({ tone: 'plain', label: 'Inactive' });
    expect(outcomeChip(null).label).toBe('No status yet');
  });

  it('a deployment of a sha names it once', () => {
    const sha = '743f5a58b0bce91c4eab744ff7e39dfca9e6e8a5';
    const deployment: GithubDeployment = { repo: 'acme/web', id: 1, environment: 'production', ref: sha, sha, state: 'success', url: null, createdAt: '2026-11-29T11:00:00Z', taskIds: [] };
    expect(deploymentRow(deployment, now).facts).toEqual(['743f5a5', '1 h ago']);
    expect(deploymentRow({ ...deployment, ref: 'main' }, now).facts).toEqual(['main', '743f5a5', '1 h ago']);
  });
});
