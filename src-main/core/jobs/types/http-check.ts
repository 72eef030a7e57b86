/**
 * `http.check`: is a URL up? A GET or HEAD with an expected status and, optionally, a text the
 * page must contain. Misses are counted across runs (the previous succeeded result's count plus
 * the runs that failed as down since it) so that
 * the scheduler's one alert on a success → failure change comes only after `alertAfter` misses in
 * a row: below that a miss SUCCEEDS with `up: false`; reaching it the run THROWS ("… is down").
 * See core/jobs/http-check/README.md.
 */
import { z } from 'zod';
import { probe } from '../http-check/probe';
import { failuresSinceLastSuccess } from '../executions.repo';
import type { JobRunContext, JobType } from '../job-type';
import { httpUrl } from '../web-request';

const whole = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

export const httpCheckParams = z
  .strictObject({
    url: httpUrl,
    method: z.enum(['GET', 'HEAD'], { error: 'must be GET or HEAD' }).optional(),
    /** Exactly this status; without it any 200–399 is up. */
    expectStatus: whole(100, 599).optional(),
    expectText: z.string().min(1, { error: 'must not be empty' }).max(1000, { error: 'must be at most 1000 characters' }).optional(),
    /** Misses in a row before the run fails (and the scheduler alerts). */
    alertAfter: whole(1, 100).optional(),
    /** A check without an answer by then is a miss (default 10 s); the job's own timeout still applies. */
    timeoutMs: whole(100, 300_000).optional(),
  })
  .refine((p) => !(p.method === 'HEAD' && p.expectText !== undefined), {
    path: ['expectText'],
    error: 'needs method GET: a HEAD answer has no body to search',
  });

export const httpCheckResult = z.object({
  url: z.string(),
  up: z.boolean(),
  status: z.number().int().nullable(),
  /** Until the answer's headers arrived; null without an answer. */
  latencyMs: z.number().nullable(),
  /** Misses in a row up to and including this check; 0 when up. */
  consecutiveMisses: z.number().int().min(0),
  error: z.string().optional(),
});
export type HttpCheckResult = z.infer<typeof httpCheckResult>;

export const defaultCheckTimeoutMs = 10_000;

const downPrefix = (url: string) => `${url} is down: `;

/**
 * Misses before this one: the previous succeeded result's count (if it checked the same URL),
 * plus the executions since it that failed because this URL was down — a long outage keeps
 * failing, and `previousResult` (the last SUCCEEDED result) alone would repeat one count.
 */
async function missesBefore(ctx: JobRunContext, url: string): Promise<number> {
  const parsed = httpCheckResult.safeParse(ctx.previousResult);
  const counted = parsed.success && parsed.data.url === url ? parsed.data.consecutiveMisses : 0;
  return counted + (await failuresSinceLastSuccess(ctx.db, ctx.jobId, downPrefix(url)));
}

const inARow = (misses: number) => `(${misses} check${misses === 1 ? '' : 's'} in a row)`;

export const httpCheckType: JobType<typeof httpCheckParams, typeof httpCheckResult> = {
  type: 'http.check',
  title: 'Uptime check',
  params: httpCheckParams,
  result: httpCheckResult,
  async run(ctx, params, signal, progress) {
    const alertAfter = params.alertAfter ?? 1;
    progress({ done: 0, total: 1, message: `Checking ${params.url}` });
    const outcome = await probe(
      ctx.fetch,
      {
        url: params.url,
        method: params.method ?? 'GET',
        expectStatus: params.expectStatus,
        expectText: params.expectText,
        timeoutMs: params.timeoutMs ?? defaultCheckTimeoutMs,
      },
      signal,
      () => performance.now(),
    );
    progress({ done: 1, total: 1 });
    if (outcome.up) {
      ctx.log('info', `${params.url} is up: ${outcome.status} in ${outcome.latencyMs} ms`);
      return { url: params.url, ...outcome, consecutiveMisses: 0 };
    }
    const misses = (await missesBefore(ctx, params.url)) + 1;
    if (misses >= alertAfter) throw new Error(`${downPrefix(params.url)}${outcome.error} ${inARow(misses)}`);
    ctx.log('warn', `${params.url} missed: ${outcome.error} ${inARow(misses)}; the job fails at ${alertAfter} in a row`);
    return { url: params.url, ...outcome, consecutiveMisses: misses };
  },
};
