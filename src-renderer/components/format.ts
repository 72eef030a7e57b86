import type { Priority, ProjectStatus } from '../../src-main/contract';

export const priorityLabels: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };
export const statusLabels: Record<ProjectStatus, string> = {
  planning: 'Planning',
  in_progress: 'In progress',
  on_hold: 'On hold',
  completed: 'Completed',
};
/** For sorting: higher is more pressing. */
export const priorityRank: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** `2026-03-09` → `Mar 9` (this year) or `Mar 9, 2027`; parsed as a calendar day, not a UTC instant. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  const sameYear = y === new Date().getFullYear();
  return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) });
}

/** Today as a calendar day (`2026-11-28`), or the day `inDays` from today. */
export function todayDay(inDays = 0): string {
  const today = new Date();
  const now = new Date(today.getFullYear(), today.getMonth(), today.getDate() + inDays);
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** `2 min ago`, `3 h ago`, `yesterday`, then a date: for "synced …" and error times. */
export function formatAgo(iso: string, now: number = Date.now()): string {
  const then = new Date(iso).getTime();
  if (!Number.isFinite(then)) return '';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  if (hours < 48) return 'yesterday';
  return new Date(then).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** `1 change` / `3 changes`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
