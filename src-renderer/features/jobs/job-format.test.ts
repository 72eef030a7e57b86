import { describe, expect, it } from 'vitest';
import type { JobExecution, JobStatus } from '../../../src-main/contract';
import { groupBySeverity, averageScore } from './audit-findings';
import { formatDuration, formatInZone, runRequestProgress, scheduleInWords, successRate } from './job-format';

const run = (status: JobStatus): JobExecution => ({
  id: status,
  jobId: 'j',
  workspaceId: 'w',
  status,
  trigger: 'schedule',
  attempt: 1,
  queuedAt: '2026-03-01T00:00:00Z',
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  error: null,
  result: null,
  progress: null,
});

describe('job display', () => {
  it('puts the presets and a bad schedule in words', () => {
    expect(scheduleInWords('0 2 * * *')).toBe('At 02:00');
    expect(scheduleInWords('0 * * * *')).toBe('Every hour');
    expect(scheduleInWords('0 2 * * 1')).toBe('At 02:00, only on Monday');
    expect(scheduleInWords('61 * * *')).toBeNull();
  });

  it('shows a run time in the job’s zone, not the viewer’s', () => {
    expect(formatInZone('2026-07-01T00:30:00Z', 'Europe/Berlin')).toMatch(/02:30/);
    expect(formatInZone('2026-07-01T00:30:00Z', 'America/New_York')).toMatch(/20:30/);
  });

  it('counts success among runs that decided something', () => {
    expect(successRate([])).toBeNull();
    expect(successRate([run('skipped'), run('cancelled'), run('running')])).toBeNull();
    expect(successRate([run('succeeded'), run('failed'), run('interrupted'), run('succeeded'), run('skipped')])).toEqual({ rate: 0.5, of: 4 });
  });

  it('formats durations', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it('groups findings most pressing first, unknown severities last', () => {
    const groups = groupBySeverity([
      { code: 'og-missing', severity: 'warning', message: '' },
      { code: 'odd', severity: 'curious', message: '' },
      { code: 'title-missing', severity: 'error', message: '' },
      { code: 'h1-multiple', severity: 'warning', message: '' },
    ]);
    expect(groups.map(([severity, findings]) => [severity, findings.map((f) => f.code)])).toEqual([
      ['error', ['title-missing']],
      ['warning', ['og-missing', 'h1-multiple']],
      ['curious', ['odd']],
    ]);
    expect(averageScore({ pages: [] })).toBeNull();
    expect(averageScore({ pages: [{ url: 'a', status: 200, score: 90, loadMs: 1, findings: [] }, { url: 'b', status: 200, score: 71, loadMs: 1, findings: [] }] })).toBe(81);
  });
});

describe('a run request sent to the runner', () => {
  const sent = { id: 'r2', runner: 'replica-a', lastRunAtBefore: '2026-03-01T00:00:00.000Z' };
  const job = (lastRunRequest: { id: string; outcome: 'started' | 'skipped' } | null, lastRunAt: string | null, lastStatus: JobStatus | null) => ({ lastRunRequest, lastRunAt, lastStatus });
  it('waits until the runner served it, then until its summary comes back', () => {
    expect(runRequestProgress(job(null, sent.lastRunAtBefore, 'succeeded'), sent)).toEqual({ state: 'waiting' });
    expect(runRequestProgress(job({ id: 'r1', outcome: 'started' }, sent.lastRunAtBefore, 'succeeded'), sent)).toEqual({ state: 'waiting' });
    expect(runRequestProgress(job({ id: 'r2', outcome: 'started' }, sent.lastRunAtBefore, 'succeeded'), sent)).toEqual({ state: 'running' });
    expect(runRequestProgress(job({ id: 'r2', outcome: 'started' }, '2026-03-02T00:00:00.000Z', 'failed'), sent)).toEqual({ state: 'ended', status: 'failed' });
    expect(runRequestProgress(job({ id: 'r2', outcome: 'skipped' }, sent.lastRunAtBefore, 'succeeded'), sent)).toEqual({ state: 'skipped' });
  });
});
