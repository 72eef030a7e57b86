/**
 * Cron schedules in a job's time zone: validation with messages in plain words naming the bad
 * part, and the next run times. cron-parser computes every run time (node-schedule only fires the
 * one date we give it): it steps over the hour that does not exist when clocks go forward (a
 * 02:30 job runs at 03:30 that day) and over the repeated hour when they go back.
 */
import { CronExpressionParser } from 'cron-parser';
import { ApiError } from '../../contract';

const fieldNames = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;

function validationError(field: 'schedule' | 'timezone', message: string): ApiError {
  return new ApiError('VALIDATION', `${field}: ${message}`, { field, issues: [{ path: [field], message }] });
}

/** Throws VALIDATION `timezone: …` unless `zone` is an IANA zone this runtime knows. */
export function checkTimezone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw validationError('timezone', `"${zone}" is not a time zone (use an IANA name like Europe/Berlin)`);
  }
}

/** cron-parser's message about one field, in words: `minute 61 is out of range (0–59)`. */
function fieldProblem(name: string, part: string, message: string): string {
  const range = /got value (\S+) expected range (\d+)-(\d+)/.exec(message);
  if (range) return `${name} ${range[1]} is out of range (${range[2]}–${range[3]})`;
  if (/Invalid characters/.test(message)) return `${name} "${part}" has characters a schedule cannot use`;
  if (/repeat at every 0/.test(message)) return `${name} "${part}" repeats every 0, which never advances`;
  const reversed = /Invalid range: (\S+), min\((\d+)\) > max\((\d+)\)/.exec(message);
  if (reversed) return `${name} range ${reversed[1]} goes backwards`;
  return `${name} "${part}" is not valid`;
}

/**
 * Checks a 5-field cron text and its zone; throws VALIDATION naming the field and the bad part
 * (`schedule: minute 61 is out of range (0–59)`). Each field is parsed alone first, so the error
 * names the field rather than cron-parser's guess.
 */
export function checkSchedule(schedule: string, timezone: string): void {
  checkTimezone(timezone);
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === '') {
    throw validationError('schedule', `must have 5 fields (minute hour day-of-month month day-of-week); "${schedule}" has ${parts[0] === '' ? 0 : parts.length}`);
  }
  parts.forEach((part, i) => {
    const alone = parts.map((p, j) => (j === i ? p : '*')).join(' ');
    try {
      CronExpressionParser.parse(alone, { tz: timezone });
    } catch (error) {
      throw validationError('schedule', fieldProblem(fieldNames[i]!, part, (error as Error).message));
    }
  });
  try {
    CronExpressionParser.parse(schedule, { tz: timezone }).next();
  } catch (error) {
    const message = (error as Error).message;
    throw validationError('schedule', /day of month/.test(message) ? `no date matches "${schedule}" (that day never occurs in that month)` : `"${schedule}" never runs`);
  }
}

/** The local wall time of `date` in `zone`, as comparable text `YYYY-MM-DD HH:mm`. */
function wallTime(date: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/**
 * The first run strictly after `after`. `previous` is the run time that came before (the one just
 * due): a job with a fixed hour never runs again at a local time it already ran at — cron-parser
 * started inside the repeated hour when clocks go back would offer 02:30 a second time (as cronie
 * does, fixed-time jobs run once; jobs with a wildcard hour keep running through both hours).
 */
export function nextRunAfter(schedule: string, timezone: string, after: Date, previous: Date | null = null): Date {
  const expression = CronExpressionParser.parse(schedule, { tz: timezone, currentDate: after });
  const hour = schedule.trim().split(/\s+/)[1] ?? '*';
  const fixedHour = !hour.startsWith('*');
  const floor = previous && fixedHour ? wallTime(previous, timezone) : null;
  // Bounded: a repeated hour holds at most a handful of a fixed-hour job's times.
  for (let i = 0; i < 100; i++) {
    const next = expression.next().toDate();
    if (!floor || wallTime(next, timezone) > floor) return next;
  }
  throw new Error(`no run time of "${schedule}" after ${after.toISOString()}`);
}

/** The next `count` run times after `after`. */
export function nextRunTimes(schedule: string, timezone: string, after: Date, count: number): Date[] {
  const runs: Date[] = [];
  let previous: Date | null = null;
  let from = after;
  for (let i = 0; i < count; i++) {
    const next = nextRunAfter(schedule, timezone, from, previous);
    runs.push(next);
    previous = next;
    from = next;
  }
  return runs;
}

/**
 * `nextRunAfter` remembered for one planning pass: a thousand jobs with a few schedules and zones
 * (all due at one minute, or all read at start) cost a few cron-parser walks, not a thousand
 * (each takes 0.1–0.3 ms). Pure, so a hit is the same answer; `previous` only matters for a fixed hour.
 */
export function nextRunMemo(): typeof nextRunAfter {
  const memo = new Map<string, Date>();
  const fixedHour = new Map<string, boolean>();
  return (schedule, timezone, after, previous = null) => {
    let fixed = fixedHour.get(schedule);
    if (fixed === undefined) fixedHour.set(schedule, (fixed = !(schedule.trim().split(/\s+/)[1] ?? '*').startsWith('*')));
    const key = `${schedule}\u0000${timezone}\u0000${after.getTime()}\u0000${fixed ? (previous?.getTime() ?? '') : ''}`;
    let next = memo.get(key);
    if (!next) memo.set(key, (next = nextRunAfter(schedule, timezone, after, previous)));
    return new Date(next.getTime());
  };
}
