/**
 * Token lifetimes as people write them ('30d', '12h'), read the same by the relay (CLI, routes)
 * and, through the invites request schema, by the app.
 */

/** Ten years: longer is a typo, and large enough values overflow dates (a 500 once). */
export const MAX_DURATION_SECONDS = 10 * 365 * 86_400;

const DURATION = /^(\d+)(s|m|h|d|w)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

/** '30d' → seconds. Throws a message naming the accepted forms and the limit. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  const count = match ? Number(match[1]) : 0;
  const seconds = match ? count * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS] : 0;
  if (!match || seconds <= 0) throw new Error(`invalid duration "${text}": use a positive number with s, m, h, d or w (e.g. 30d)`);
  if (!Number.isSafeInteger(count) || !Number.isSafeInteger(seconds) || seconds > MAX_DURATION_SECONDS) {
    throw new Error(`invalid duration "${text}": at most 10 years (3650d)`);
  }
  return seconds;
}
