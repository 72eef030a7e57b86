import { useEffect, useState } from 'react';
import { api } from '../../api/connection';
import { fieldErrors } from '../../components/field-errors';

export type SchedulePreview =
  | { state: 'loading' }
  | { state: 'ok'; nextRuns: string[] }
  /** The core's VALIDATION, placed by field (`schedule` or `timezone`). */
  | { state: 'invalid'; errors: Record<string, string> }
  | { state: 'unavailable'; message: string };

/**
 * The next 5 run times of a schedule in a zone, asked of the core as the person types (after a
 * short pause, and only the latest answer counts): the core's cron-parser is the one judge of a
 * schedule, so the dialog never accepts what the core would refuse.
 */
export function useSchedulePreview(schedule: string, timezone: string): SchedulePreview {
  const [preview, setPreview] = useState<SchedulePreview>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api.jobs.preview({ schedule, timezone }).then(
        ({ nextRuns }) => current && setPreview({ state: 'ok', nextRuns }),
        (error: unknown) => {
          if (!current) return;
          const errors = fieldErrors(error);
          if (Object.keys(errors).length && !errors._form) setPreview({ state: 'invalid', errors });
          else setPreview({ state: 'unavailable', message: errors._form ?? (error as Error).message });
        },
      );
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [schedule, timezone]);
  return preview;
}
