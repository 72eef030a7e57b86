/**
 * A change-history entry in words: "Ana moved WEB-12 from Todo to In Review". Stage and member ids
 * become names from what the view already holds; an id it does not know stays vague, never raw.
 */
import type { HistoryEntry, Priority } from '../../../src-main/contract';
import { formatDay, priorityLabels } from '../../components/format';

export interface HistoryNames {
  stage(id: string): string | undefined;
  member(id: string): string | undefined;
}

export function actorName(entry: HistoryEntry): string {
  if (entry.actor) return entry.actor.name;
  if (entry.origin === 'system') return 'Groundwork';
  if (entry.origin === 'job') return 'A scheduled job';
  return entry.origin === 'remote' ? 'A teammate' : 'Someone';
}

const quoted = (value: unknown) => `“${typeof value === 'string' ? value : ''}”`;
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** What an entry did, as a sentence without its time. */
export function describeHistoryEntry(entry: HistoryEntry, names: HistoryNames): string {
  const who = actorName(entry);
  const what = entry.entityLabel || `this ${entry.entity}`;
  if (entry.action === 'created') return `${who} created ${what}`;
  const { oldValue: before, newValue: after } = entry;
  switch (entry.field) {
    case 'stageId': {
      const from = typeof before === 'string' ? names.stage(before) : undefined;
      const to = typeof after === 'string' ? names.stage(after) : undefined;
      return from && to ? `${who} moved ${what} from ${from} to ${to}` : to ? `${who} moved ${what} to ${to}` : `${who} moved ${what} to another column`;
    }
    case 'title':
    case 'name':
      return `${who} renamed ${what} from ${quoted(before)} to ${quoted(after)}`;
    case 'description':
      return `${who} edited the description`;
    case 'notes':
      return `${who} edited the notes`;
    case 'priority':
      return `${who} set the priority to ${priorityLabels[after as Priority] ?? String(after)}`;
    case 'dueDate':
      return typeof after === 'string' ? `${who} set the due date to ${formatDay(after)}` : `${who} removed the due date`;
    case 'estimateHours':
      return typeof after === 'number' ? `${who} set the estimate to ${after} h` : `${who} removed the estimate`;
    case 'deploy': {
      // Written by Vercel's integration (core/integrations/vercel/shipped.ts).
      const mark = after as { state?: string; environment?: string; deploymentId?: string; pull?: string } | null;
      if (!mark?.state) return `${who} cleared the deploy state`;
      if (mark.state === 'deployed') return `Shipped to ${mark.environment ?? 'production'} in ${mark.deploymentId ?? 'a deployment'} (${mark.pull ?? 'its pull request'})`;
      if (mark.state === 'rolled_back') return `Rolled back: ${mark.environment ?? 'production'} went back to ${mark.deploymentId ?? 'an earlier deployment'}, without ${mark.pull ?? 'its pull request'}`;
      return `The ${mark.environment ?? 'production'} deploy ${mark.deploymentId ?? ''} of ${mark.pull ?? 'its pull request'} failed`;
    }
    case 'deletedAt':
      return after ? `${who} deleted ${what}` : `${who} restored ${what}`;
    case 'archivedAt':
      return after ? `${who} archived ${what}` : `${who} unarchived ${what}`;
    case 'number':
      return `${who} renumbered ${what.replace(/-\d+$/, '')}-${String(before)} to ${what.replace(/-\d+$/, '')}-${String(after)} (another task had the same number)`;
    case 'assigneeIds': {
      const [was, now] = [list(before), list(after)];
      const added = now.filter((id) => !was.includes(id)).map((id) => names.member(id) ?? 'someone');
      const removed = was.filter((id) => !now.includes(id)).map((id) => names.member(id) ?? 'someone');
      const parts = [added.length ? `assigned ${added.join(', ')}` : '', removed.length ? `unassigned ${removed.join(', ')}` : ''].filter(Boolean);
      return `${who} ${parts.join(' and ') || 'changed the assignees'}`;
    }
    case 'labels':
    case 'tags': {
      const [was, now] = [list(before), list(after)];
      const added = now.filter((l) => !was.includes(l));
      const removed = was.filter((l) => !now.includes(l));
      const noun = entry.field === 'labels' ? 'label' : 'tag';
      const parts = [
        added.length ? `added ${noun}${added.length > 1 ? 's' : ''} ${added.join(', ')}` : '',
        removed.length ? `removed ${noun}${removed.length > 1 ? 's' : ''} ${removed.join(', ')}` : '',
      ].filter(Boolean);
      return `${who} ${parts.join(' and ') || `changed the ${noun}s`}`;
    }
    default:
      return `${who} changed ${entry.field ?? 'it'}`;
  }
}
