/**
 * A loopback GitHub for the http-cache tests: replays the recorded responses beside this file
 * (nock definitions, the @octokit/fixtures-server format) as often as they are asked for, and adds
 * the conditional-request behaviour GitHub documents on top of them: the recorded `ETag` /
 * `Last-Modified` are sent with every 200, and a request whose `If-None-Match` matches (or, without
 * one, whose `If-Modified-Since` is not older than `Last-Modified`) gets `304 Not Modified` with an
 * empty body. @octokit/fixtures-server itself serves each interaction once, in order, under a fresh
 * URL per load — a re-sync of the same URLs, which is what a cache is about, needs this instead.
 * Bodies are never invented: every body is a recorded one (see README.md).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/** One recorded interaction (a nock definition). */
export interface Recording {
  scope: string;
  method: string;
  path: string;
  status: number;
  response: unknown;
  headers: Record<string, string>;
}

/** What the server saw and answered, in order: the tests' view of the wire. */
export interface Exchange {
  method: string;
  path: string;
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
  status: number;
}

export interface EtagReplay {
  /** Octokit's `baseUrl`. */
  baseUrl: string;
  exchanges: Exchange[];
  /**
   * Answers GETs of each recording's path (or of `at`, for one recording standing in for a later
   * state of another URL) with that recording from now on.
   */
  serve(recordings: Recording[], at?: string): void;
  close(): Promise<void>;
}

// The octokit.rb recorder replaced its test account's names by placeholders; any consistent names do.
const PLACEHOLDERS: Record<string, string> = { '<GITHUB_LOGIN>': 'octo-user', '<GITHUB_TEST_REPOSITORY>': 'hello-world' };

/** The recordings of one fixture file beside this module (or in `folder`, another fixtures folder). */
export function recordings(name: string, folder = new URL('./', import.meta.url)): Recording[] {
  let text = readFileSync(new URL(`./${name}.json`, folder), 'utf8');
  for (const [placeholder, value] of Object.entries(PLACEHOLDERS)) text = text.replaceAll(placeholder, value);
  return JSON.parse(text) as Recording[];
}

export async function startEtagReplay(): Promise<EtagReplay> {
  const routes = new Map<string, Recording>();
  const exchanges: Exchange[] = [];
  let baseUrl = '';

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const recording = routes.get(routeKey(request.method ?? 'GET', url.pathname + url.search));
    const ifNoneMatch = header(request, 'if-none-match');
    const ifModifiedSince = header(request, 'if-modified-since');
    const answer = (status: number, headers: Record<string, string>, body: string) => {
      exchanges.push({ method: request.method ?? 'GET', path: url.pathname + url.search, ifNoneMatch, ifModifiedSince, status });
      response.writeHead(status, headers).end(body);
    };
    if (!recording) {
      // Not GitHub speaking: the test asked for something it did not load.
      answer(404, { 'content-type': 'application/json' }, JSON.stringify({ message: `no recording for ${request.method} ${url.pathname}${url.search}` }));
      return;
    }
    // The body is serialised again here: the recorded transfer headers describe another transfer.
    const headers = Object.fromEntries(Object.entries(rewrite(recording.headers, baseUrl)).filter(([name]) => !transferHeaders.has(name.toLowerCase())));
    if (notModified(headers, ifNoneMatch, ifModifiedSince)) {
      // What a 304 carries (RFC 9110 §15.4.5): the validators; GitHub adds its rate-limit headers,
      // unchanged because a 304 spends nothing.
      const kept = Object.entries(headers).filter(([name]) => ['etag', 'last-modified', 'date', 'vary', 'cache-control'].includes(name) || name.startsWith('x-ratelimit-'));
      answer(304, Object.fromEntries(kept), '');
      return;
    }
    answer(recording.status, headers, JSON.stringify(rewrite(recording.response, baseUrl)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    exchanges,
    serve(list, at) {
      for (const recording of list) routes.set(routeKey(recording.method, at ?? recording.path), recording);
    },
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

const transferHeaders = new Set(['content-length', 'connection', 'transfer-encoding', 'content-encoding']);

/** Method and path with the query's parameters sorted: GitHub's Link URLs order them differently from the recordings. */
function routeKey(method: string, pathAndQuery: string): string {
  const url = new URL(pathAndQuery, 'http://x');
  url.searchParams.sort();
  return `${method.toUpperCase()} ${url.pathname}${url.search}`;
}

function header(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' ? value : null;
}

/** RFC 9110 §13.1.2 and §13.1.3: If-None-Match (weak comparison) wins over If-Modified-Since. */
function notModified(headers: Record<string, string>, ifNoneMatch: string | null, ifModifiedSince: string | null): boolean {
  const etag = headers['etag'];
  if (ifNoneMatch !== null) {
    if (!etag) return false;
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
  }
  const lastModified = headers['last-modified'];
  if (ifModifiedSince === null || !lastModified) return false;
  return Date.parse(lastModified) <= Date.parse(ifModifiedSince);
}

/** Absolute GitHub URLs (bodies, Link headers) point at this server instead, as fixtures-server does. */
function rewrite<T>(value: T, baseUrl: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll('https://api.github.com', baseUrl)) as T;
}
