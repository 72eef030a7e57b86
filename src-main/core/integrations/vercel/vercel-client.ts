/**
 * A small typed client of Vercel's REST API: the nine endpoints Groundwork calls, with `fetch` from
 * the core's port. Not `@vercel/sdk`: its standalone functions for these endpoints, tree-shaken,
 * still weigh ~680 kB unminified (~260 kB minified) without zod — over the core's ~300 kB budget
 * (README.md here, "Why not @vercel/sdk"). The tests validate every body the loopback server
 * sends with the SDK's own zod schemas, so the shapes read here are Vercel's.
 *
 * Failures become ApiErrors in words (Vercel's `{ error: { code, message } }` bodies), and a 429 is
 * waited out once until `x-ratelimit-reset` when that is near (bounded by `maxRateLimitWaitSeconds`).
 */
import { ApiError } from '../../../contract';
import type { Timers } from '../../jobs/timers';

export interface VercelPorts {
  /** The longest 429 wait waited out (seconds, default 60); a longer one fails at once with UNAVAILABLE naming the reset. */
  maxRateLimitWaitSeconds?: number;
  /** How often a followed build's log and state are read (ms, default 2000). */
  followIntervalMs?: number;
}

export const defaultVercelBaseUrl = 'https://api.vercel.com';

export interface VercelClientOptions {
  baseUrl: string;
  token: string;
  teamId: string | null;
  fetch: typeof fetch;
  clock(): Date;
  timers: Timers;
  ports?: VercelPorts;
}

type Query = Record<string, string | number | undefined>;

/** What a call is, in words, for messages ("listing deployments"); `field` names the caller's input a refusal is about. */
export interface Doing {
  doing: string;
  /** 401/403 on a token the caller just gave: VALIDATION naming it. */
  tokenField?: string;
  /** 404 means this input names nothing Vercel has. */
  notFound?: { field: string; what: string };
}

/** Vercel's documented error body (vercel.com/docs/rest-api/errors). */
interface VercelErrorBody {
  error?: { code?: string; message?: string; limit?: { reset?: number; resetMs?: number } };
}

export class VercelClient {
  constructor(private readonly options: VercelClientOptions) {}

  get teamId(): string | null {
    return this.options.teamId;
  }

  async get<T>(path: string, query: Query, doing: Doing): Promise<T> {
    return (await this.send<T>('GET', path, query, undefined, doing)).body;
  }

  async post<T>(path: string, query: Query, body: unknown, doing: Doing): Promise<{ status: number; body: T }> {
    return this.send<T>('POST', path, query, body, doing);
  }

  /** GET of a newline-delimited JSON stream (the build log): one object per line. */
  async getLines<T>(path: string, query: Query, doing: Doing): Promise<T[]> {
    const { text } = await this.raw('GET', path, query, undefined, doing, 'application/stream+json');
    const lines = text.split('\n').filter((line) => line.trim());
    // A JSON array is the endpoint's other answer (application/json): accept both.
    const [only] = lines;
    if (lines.length === 1 && only?.trim().startsWith('[')) return JSON.parse(only) as T[];
    return lines.map((line) => JSON.parse(line) as T);
  }

  private async send<T>(method: string, path: string, query: Query, body: unknown, doing: Doing): Promise<{ status: number; body: T }> {
    const { status, text } = await this.raw(method, path, query, body, doing, 'application/json');
    return { status, body: (text ? JSON.parse(text) : null) as T };
  }

  private url(path: string, query: Query): string {
    const url = new URL(path.replace(/^\//, ''), this.options.baseUrl.replace(/\/?$/, '/'));
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    // Every call acts for the connected team when there is one (Vercel's `teamId` query parameter).
    if (this.options.teamId) url.searchParams.set('teamId', this.options.teamId);
    return url.toString();
  }

  /** `retried`: this is already the one second try (after a 429 waited out, or a dropped connection). */
  private async raw(method: string, path: string, query: Query, body: unknown, doing: Doing, accept: string, retried = false): Promise<{ status: number; text: string }> {
    let response: Response;
    try {
      response = await this.options.fetch(this.url(path, query), {
        method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          accept,
          'user-agent': 'Groundwork',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      // A kept-alive connection the server closed meanwhile fails the request at once; a GET is
      // safe to send again, once, on a fresh connection. A POST is not (it may have been applied).
      if (method === 'GET' && !retried && !(error instanceof Error && error.name === 'TimeoutError')) {
        return this.raw(method, path, query, body, doing, accept, true);
      }
      throw new ApiError('UNAVAILABLE', `Vercel could not be reached while ${doing.doing} (${reason(error)}): check the connection and try again.`);
    }
    const text = await response.text();
    if (response.ok) return { status: response.status, text };
    if (response.status === 429 && !retried) {
      const waitMs = this.rateLimitWait(response, text);
      if (waitMs !== null) {
        await new Promise<void>((resolve) => this.options.timers.at(new Date(this.options.clock().getTime() + waitMs), resolve));
        return this.raw(method, path, query, body, doing, accept, true);
      }
    }
    throw vercelError(response, text, doing, this.options.teamId, this.options.clock().getTime());
  }

  /** How long to wait before trying a 429 again, or null when it is too long (or unknown) to wait. */
  private rateLimitWait(response: Response, text: string): number | null {
    const max = (this.options.ports?.maxRateLimitWaitSeconds ?? 60) * 1000;
    const resetMs = rateLimitReset(response, text, this.options.clock().getTime());
    if (resetMs === null) return null;
    const wait = resetMs - this.options.clock().getTime();
    // A reset already past is worth one more try at once; a far one fails now with its time.
    return wait > max ? null : Math.max(0, wait);
  }
}

/** A failed fetch in words: undici's "fetch failed" says why only in its cause (ECONNREFUSED, a DNS error). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ((error.cause as Error & { code?: string }).code ?? error.cause.message) : null;
  return cause ? `${error.message}: ${cause}` : error.message;
}

/** When the limit resets, in epoch ms: the `x-ratelimit-reset` header (epoch seconds), else the body's `limit.reset`, else `retry-after`. */
function rateLimitReset(response: Response, text: string, nowMs: number): number | null {
  const header = Number(response.headers.get('x-ratelimit-reset'));
  if (Number.isFinite(header) && header > 0) return header < 1e11 ? header * 1000 : header;
  const limit = parseBody(text).error?.limit;
  if (limit?.resetMs) return limit.resetMs;
  if (limit?.reset) return limit.reset * 1000;
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers.get('retry-after') !== null) return nowMs + retryAfter * 1000;
  return null;
}

function parseBody(text: string): VercelErrorBody {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as VercelErrorBody) : {};
  } catch {
    return {};
  }
}

/** A refused call as an ApiError saying what happened and what to do. */
function vercelError(response: Response, text: string, doing: Doing, teamId: string | null, nowMs: number): ApiError {
  const status = response.status;
  const error = parseBody(text).error;
  const said = error?.message ?? `HTTP ${status}`;
  const details = { status, vercelCode: error?.code ?? null, vercelMessage: said };
  if (status === 401 || (status === 403 && doing.tokenField && !teamId)) {
    if (doing.tokenField) {
      return new ApiError(
        'VALIDATION',
        `${doing.tokenField}: Vercel did not accept this token (${said}). Check that it was copied whole and has not expired, or create a new one at vercel.com/account/tokens.`,
        { ...details, field: doing.tokenField },
      );
    }
    return new ApiError('UNAVAILABLE', `Vercel no longer accepts the stored token while ${doing.doing} (${said}): connect again in Settings → Vercel with a new token.`, details);
  }
  if (status === 403) {
    if (teamId) {
      return new ApiError(
        doing.tokenField ? 'VALIDATION' : 'FORBIDDEN',
        `${doing.tokenField ? 'teamId: ' : ''}the token has no access to the Vercel team ${teamId} while ${doing.doing} (${said}): use a token made for that team, or ask a team owner to add you.`,
        { ...details, field: doing.tokenField ? 'teamId' : undefined, teamId },
      );
    }
    return new ApiError('FORBIDDEN', `Vercel refused ${doing.doing} (${said}): the token's account may not do this.`, details);
  }
  if (status === 404) {
    if (doing.notFound) {
      return new ApiError('NOT_FOUND', `${doing.notFound.field}: Vercel has no ${doing.notFound.what} (or this token cannot see it): check the id, or the team the connection acts for.`, {
        ...details,
        field: doing.notFound.field,
      });
    }
    return new ApiError('NOT_FOUND', `Vercel found nothing while ${doing.doing} (${said}).`, details);
  }
  if (status === 429) {
    const reset = rateLimitReset(response, text, nowMs);
    return new ApiError(
      'UNAVAILABLE',
      `Vercel's rate limit was reached while ${doing.doing}${reset ? `; it resets at ${new Date(reset).toISOString()}` : ''}: try again then.`,
      { ...details, resetAt: reset ? new Date(reset).toISOString() : null },
    );
  }
  if (status === 409) return new ApiError('CONFLICT', `Vercel refused ${doing.doing}: ${said}`, details);
  if (status >= 400 && status < 500) return new ApiError('VALIDATION', `Vercel refused ${doing.doing}: ${said}`, details);
  return new ApiError('UNAVAILABLE', `Vercel failed while ${doing.doing} (${said}): try again in a moment.`, details);
}
