import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../src-main/contract';
import { describeHistoryEntry } from './history-text';

const names = {
  stage: (id: string) => ({ s1: 'Todo', s2: 'In Review' })[id],
  member: (id: string) => ({ m1: 'Ana', m2: 'Ben' })[id],
};
const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
  id: '1',
  at: '2026-11-28T10:00:00.000Z',
  entity: 'task',
  entityId: 't',
  entityLabel: 'WEB-12',
  action: 'changed',
  field: null,
  oldValue: null,
  newValue: null,
  actor: { id: 'm1', name: 'Ana' },
  origin: 'local',
  ...over,
});

describe('describeHistoryEntry', () => {
  it('says who did what in words, with names for ids', () => {
    expect(describeHistoryEntry(entry({ field: 'stageId', oldValue: 's1', newValue: 's2' }), names)).toBe('Ana moved WEB-12 from Todo to In Review');
    expect(describeHistoryEntry(entry({ action: 'created', newValue: 'Design' }), names)).toBe('Ana created WEB-12');
    expect(describeHistoryEntry(entry({ field: 'assigneeIds', oldValue: ['m1'], newValue: ['m2'] }), names)).toBe('Ana assigned Ben and unassigned Ana');
    expect(describeHistoryEntry(entry({ field: 'labels', oldValue: [], newValue: ['ux', 'bug'] }), names)).toBe('Ana added labels ux, bug');
    expect(describeHistoryEntry(entry({ field: 'priority', oldValue: 'normal', newValue: 'urgent' }), names)).toBe('Ana set the priority to Urgent');
    expect(describeHistoryEntry(entry({ field: 'deletedAt', oldValue: null, newValue: '2026-11-28T10:00:00.000Z' }), names)).toBe('Ana deleted WEB-12');
    expect(describeHistoryEntry(entry({ field: 'title', oldValue: 'A', newValue: 'B', actor: null, origin: 'remote' }), names)).toBe('A teammate renamed WEB-12 from “A” to “B”');
  });

  it('names the system for renumbering, and stays vague about unknown stages', () => {
    expect(describeHistoryEntry(entry({ field: 'number', oldValue: 3, newValue: 5, actor: null, origin: 'system', entityLabel: 'WEB-5' }), names)).toBe(
      'Groundwork renumbered WEB-3 to WEB-5 (another task had the same number)',
    );
    expect(describeHistoryEntry(entry({ field: 'stageId', oldValue: 'gone', newValue: 'also-gone' }), names)).toBe('Ana moved WEB-12 to another column');
  });
});

describe('a task that shipped (Vercel)', () => {
  it('says where it shipped, that a rollback took it out, or that its deploy failed', () => {
    const system = { actor: null, origin: 'system' as const, field: 'deploy' };
    const mark = (state: string, deploymentId: string) => ({ state, environment: 'production', deploymentId, url: 'https://x.vercel.app', at: '2026-03-02T12:00:00.000Z', pull: 'acme/site#12' });
    expect(describeHistoryEntry(entry({ ...system, newValue: mark('deployed', 'dpl_New') }), names)).toBe('Shipped to production in dpl_New (acme/site#12)');
    expect(describeHistoryEntry(entry({ ...system, newValue: mark('rolled_back', 'dpl_Old') }), names)).toBe('Rolled back: production went back to dpl_Old, without acme/site#12');
    expect(describeHistoryEntry(entry({ ...system, newValue: mark('failed', 'dpl_Bad') }), names)).toBe('The production deploy dpl_Bad of acme/site#12 failed');
  });
});
