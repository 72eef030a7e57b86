/**
 * Conditional GitHub requests through a local ETag cache (issue 10, "Sync").
 *
 * `attachHttpCache(octokit, …)` wraps octokit's `request` hook: a GET whose answer this replica
 * already holds is sent with `If-None-Match` / `If-Modified-Since`; GitHub answers 304 when nothing
 * changed, and a 304 does not count against the rate limit. Octokit turns a 304 into a
 * RequestError, so the hook catches it and answers from the cached body and headers (the Link
 * header included, so `octokit.paginate` walks cached pages exactly as it walks fresh ones). A 200
 * replaces the entry. The cache is the local table `github_http_cache` (migration 0009): never
 * synced, keyed by account, so two tokens never share an entry.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { RequestError, type Octokit } from 'octokit';
import { ApiError } from '../../../contract';
import type { Logger } from '../../ports';

export interface HttpCacheOptions {
  db: PGlite;
  /**
   * Whose token the octokit sends: every entry is this account's alone. Use something that names
   * the token's owner on its server (e.g. `<baseUrl>#<user id>`), never the token itself.
   */
  account: string;
  /** Bound on the whole table (every account): the entries used longest ago are evicted first. */
  maxEntries?: number;
  /** Bound on the bodies' total size in bytes (UTF-8 JSON), same eviction order. */
  maxBytes?: number;
  /** ISO timestamp for `fetched_at` (display and age only; eviction follows use order). */
  now?: () => string;
  logger?: Logger;
}

export interface RateLimit {
  limit: number | null;
  remaining: number;
  used: number | null;
  /** When the window resets (ISO), from `x-ratelimit-reset` (epoch seconds). */
  resetAt: string | null;
}

/** What the requests through one attached cache cost, for the sync's summary and the settings page. */
export interface HttpCacheStats {
  /** Requests that went to GitHub (conditional or not); identical concurrent GETs send one. */
  requestsSent: number;
  /** Answered 304 and served from the cache. */
  notModified: number;
  /** 200s written into the cache. */
  stored: number;
  /**
   * Requests GitHub counted against the rate limit: every answer that carries rate-limit headers,
   * except a 304. Counted per answer rather than as a drop in `x-ratelimit-remaining`, because the
   * token's quota is shared with everything else using it (the person's other devices, other tools):
   * a difference of two readings would charge their requests to this sync.
   */
  quotaSpent: number;
  /** The latest reading of the rate-limit headers; null before any answer carried them. */
  rateLimit: RateLimit | null;
}

export interface HttpCache {
  stats(): HttpCacheStats;
}

/** Response header saying how an answer was obtained: `hit` (304, body from the cache) or `miss`. */
export const CACHE_HEADER = 'x-groundwork-cache';

const DEFAULT_MAX_ENTRIES = 5_000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** The headers a reader of a cached answer needs again; the rest describe one transfer. */
const KEPT_HEADERS = ['link', 'content-type', 'etag', 'last-modified', 'x-github-media-type'] as const;

type Response = Awaited<ReturnType<Octokit['request']>>;
type Headers = Record<string, string | number | undefined>;
/** What octokit hands a `request` hook: the endpoint options, and the request to send with them. */
type RequestOptions = Required<Parameters<Octokit['request']['endpoint']['parse']>[0]>;
type Send = (options: RequestOptions) => Response | Promise<Response>;

interface EntryKey {
  account: string;
  method: string;
  url: string;
  accept: string;
}

interface CachedEntry {
  status: number;
  etag: string | null;
  last_modified: string | null;
  headers: Record<string, string>;
  body: unknown;
}

export function attachHttpCache(octokit: Octokit, options: HttpCacheOptions): HttpCache {
  const account = options.account.trim();
  if (account === '') throw new ApiError('VALIDATION', 'account: must not be empty (the cache is kept per account)');
  const maxEntries = positive('maxEntries', options.maxEntries ?? DEFAULT_MAX_ENTRIES);
  const maxBytes = positive('maxBytes', options.maxBytes ?? DEFAULT_MAX_BYTES);
  const now = options.now ?? (() => new Date().toISOString());
  const { db, logger } = options;

  const stats: HttpCacheStats = { requestsSent: 0, notModified: 0, stored: 0, quotaSpent: 0, rateLimit: null };
  // Identical GETs in flight share one request: the second would spend quota (or a 304) for nothing.
  const inFlight = new Map<string, { answer: Promise<Response>; shared: boolean }>();

  const observe = (headers: Headers, status: number) => {
    const remaining = numberHeader(headers, 'x-ratelimit-remaining');
    if (remaining === null) return;
    if (status !== 304) stats.quotaSpent++;
    const reset = numberHeader(headers, 'x-ratelimit-reset');
    stats.rateLimit = {
      limit: numberHeader(headers, 'x-ratelimit-limit'),
      remaining,
      used: numberHeader(headers, 'x-ratelimit-used'),
      resetAt: reset === null ? null : new Date(reset * 1000).toISOString(),
    };
  };

  async function fetchThroughCache(send: Send, requestOptions: RequestOptions, key: EntryKey): Promise<Response> {
    const cached = await readEntry(db, key);
    // Set on the options object itself: before-after-hook binds every inner hook to this one
    // object, so options passed to `send` would reach the auth hook but not the request.
    const { headers } = requestOptions;
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.last_modified) headers['if-modified-since'] = cached.last_modified;
    stats.requestsSent++;
    let response: Response;
    try {
      response = await send(requestOptions);
    } catch (error) {
      const answer = error instanceof RequestError ? error.response : undefined;
      if (answer) observe(answer.headers, error instanceof RequestError ? error.status : 0);
      if (!(error instanceof RequestError && error.status === 304 && cached)) throw error;
      stats.notModified++;
      await touchEntry(db, key, now()).catch((touchError: unknown) =>
        logger?.warn({ url: key.url, error: String(touchError) }, 'github cache: could not mark an entry used'),
      );
      // The 304's own headers are current (rate limit, date); the cached ones describe the body.
      return {
        status: cached.status,
        url: key.url,
        headers: { ...answer!.headers, ...cached.headers, [CACHE_HEADER]: 'hit' },
        data: cached.body,
      } as Response;
    }
    observe(response.headers, response.status);
    await storeIfCacheable(response, key);
    response.headers = { ...response.headers, [CACHE_HEADER]: 'miss' };
    return response;
  }

  async function storeIfCacheable(response: Response, key: EntryKey): Promise<void> {
    if (response.status !== 200) return;
    const headers = response.headers as Headers;
    const etag = stringHeader(headers, 'etag');
    const lastModified = stringHeader(headers, 'last-modified');
    if (etag === null && lastModified === null) return; // nothing to revalidate with
    if (!isJson(stringHeader(headers, 'content-type'))) return;
    const body = jsonText(response.data);
    if (body === null) return;
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > maxBytes) return;
    const kept: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = stringHeader(headers, name);
      if (value !== null) kept[name] = value;
    }
    try {
      await db.transaction(async (tx) => {
        await writeEntry(tx, key, { status: 200, etag, lastModified, headers: kept, body, bytes, fetchedAt: now() });
        await evict(tx, maxEntries, maxBytes);
      });
      stats.stored++;
    } catch (error) {
      // The answer is still good; only the next request loses its chance of a 304.
      logger?.warn({ url: key.url, error: String(error) }, 'github cache: could not store an answer');
    }
  }

  octokit.hook.wrap('request', async (send, requestOptions) => {
    const parsed = octokit.request.endpoint.parse(requestOptions);
    const streamed = requestOptions.request?.parseSuccessResponseBody === false;
    if (parsed.method !== 'GET' || parsed.body !== undefined || streamed) return send(requestOptions);
    const key: EntryKey = { account, method: 'GET', url: parsed.url, accept: String(parsed.headers.accept ?? '') };
    const id = JSON.stringify([key.method, key.url, key.accept]);

    const running = inFlight.get(id);
    if (running) {
      running.shared = true;
      // Each caller gets its own copy: octokit.paginate rewrites the response it is given.
      return structuredClone(await running.answer);
    }
    const entry = { answer: fetchThroughCache(send, requestOptions, key), shared: false };
    inFlight.set(id, entry);
    try {
      const response = await entry.answer;
      return entry.shared ? structuredClone(response) : response;
    } finally {
      inFlight.delete(id);
    }
  });

  return { stats: () => structuredClone(stats) };
}

/** Drops every entry of `account` (sign-out: the bodies are what that token was allowed to read). */
export async function forgetAccount(db: PGlite, account: string): Promise<number> {
  const result = await db.query('DELETE FROM github_http_cache WHERE account = $1', [account]);
  return result.affectedRows ?? 0;
}


async function readEntry(db: PGlite, key: EntryKey): Promise<CachedEntry | null> {
  const { rows } = await db.query<CachedEntry>(
    `SELECT status, etag, last_modified, headers, body FROM github_http_cache
     WHERE account = $1 AND method = $2 AND url = $3 AND accept = $4`,
    [key.account, key.method, key.url, key.accept],
  );
  return rows[0] ?? null;
}

/** One statement: a row is whole or absent, and a concurrent store of the same key simply wins last. */
async function writeEntry(
  tx: Transaction,
  key: EntryKey,
  entry: { status: number; etag: string | null; lastModified: string | null; headers: Record<string, string>; body: string; bytes: number; fetchedAt: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO github_http_cache (account, method, url, accept, status, etag, last_modified, headers, body, body_bytes, fetched_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11)
     ON CONFLICT (account, method, url, accept) DO UPDATE SET
       status = excluded.status, etag = excluded.etag, last_modified = excluded.last_modified,
       headers = excluded.headers, body = excluded.body, body_bytes = excluded.body_bytes,
       fetched_at = excluded.fetched_at, use_order = nextval('github_http_cache_use_order')`,
    [key.account, key.method, key.url, key.accept, entry.status, entry.etag, entry.lastModified, JSON.stringify(entry.headers), entry.body, entry.bytes, entry.fetchedAt],
  );
}

async function touchEntry(db: PGlite, key: EntryKey, fetchedAt: string): Promise<void> {
  await db.query(
    `UPDATE github_http_cache SET fetched_at = $5, use_order = nextval('github_http_cache_use_order')
     WHERE account = $1 AND method = $2 AND url = $3 AND accept = $4`,
    [key.account, key.method, key.url, key.accept, fetchedAt],
  );
}

/** Keeps the most recently used entries within both bounds; the rest go, oldest use first. */
async function evict(tx: Transaction, maxEntries: number, maxBytes: number): Promise<void> {
  await tx.query(
    `DELETE FROM github_http_cache c USING (
       SELECT account, method, url, accept FROM (
         SELECT account, method, url, accept,
                row_number() OVER newest_first AS n, sum(body_bytes) OVER newest_first AS total
         FROM github_http_cache WINDOW newest_first AS (ORDER BY use_order DESC)
       ) ranked WHERE n > $1 OR total > $2
     ) old
     WHERE c.account = old.account AND c.method = old.method AND c.url = old.url AND c.accept = old.accept`,
    [maxEntries, maxBytes],
  );
}

function positive(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ApiError('VALIDATION', `${field}: must be a whole number of at least 1`);
  return value;
}

function stringHeader(headers: Headers, name: string): string | null {
  const value = headers[name];
  return value === undefined ? null : String(value);
}

function numberHeader(headers: Headers, name: string): number | null {
  const value = stringHeader(headers, name);
  if (value === null || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

function isJson(contentType: string | null): boolean {
  return contentType !== null && /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim());
}

/**
 * The body as JSON text, or null when it cannot round-trip through jsonb and back into JS
 * unchanged: octokit parses integers beyond 2^53 as BigInt, which JSON cannot carry. Such an
 * answer is served but not cached.
 */
function jsonText(data: unknown): string | null {
  let exact = true;
  const text = JSON.stringify(data, (_key, value: unknown) => {
    if (typeof value === 'bigint') {
      exact = false;
      return null;
    }
    return value;
  });
  return exact && text !== undefined ? text : null;
}
