/**
 * One uptime probe: a GET or HEAD, judged against the expected status (default any 200–399) and,
 * for a GET, a text the body must contain. Anything short of that is a miss with its reason in
 * words; the job type (../types/http-check.ts) decides what a miss means.
 */
import { requestError } from '../web-request';

export interface ProbeRequest {
  url: string;
  method: 'GET' | 'HEAD';
  expectStatus?: number | undefined;
  expectText?: string | undefined;
  /** A probe without an answer by then is a miss ("no answer within …"). */
  timeoutMs: number;
}

export interface ProbeOutcome {
  up: boolean;
  status: number | null;
  /** Until the response's headers arrived; null without an answer. */
  latencyMs: number | null;
  /** Why it is a miss, in words ("503", "200 without “Welcome”"). */
  error?: string;
}

/** The body is searched up to this much: a huge page must not fill memory on every check. */
const maxBodyChars = 5 * 1024 * 1024;

async function bodyContains(response: Response, text: string): Promise<boolean> {
  if (!response.body) return false;
  const decoder = new TextDecoder();
  let tail = '';
  let read = 0;
  for await (const chunk of response.body) {
    const decoded = decoder.decode(chunk as Uint8Array, { stream: true });
    read += decoded.length;
    // The tail kept is what could still hold the start of a match split across chunks.
    const window = tail + decoded;
    if (window.includes(text)) return true;
    tail = text.length > 1 ? window.slice(-(text.length - 1)) : '';
    if (read > maxBodyChars) break;
  }
  return false;
}

export async function probe(fetcher: typeof fetch, request: ProbeRequest, signal: AbortSignal, elapsed: () => number): Promise<ProbeOutcome> {
  const started = elapsed();
  const timeout = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await fetcher(request.url, { method: request.method, redirect: 'follow', signal: AbortSignal.any([signal, timeout]) });
    const latencyMs = Math.round(elapsed() - started);
    const status = response.status;
    const statusOk = request.expectStatus === undefined ? status >= 200 && status <= 399 : status === request.expectStatus;
    if (!statusOk) {
      void response.body?.cancel().catch(() => {});
      return { up: false, status, latencyMs, error: request.expectStatus === undefined ? `${status}` : `${status}, expected ${request.expectStatus}` };
    }
    const textFound = request.expectText === undefined || (await bodyContains(response, request.expectText));
    void response.body?.cancel().catch(() => {});
    if (!textFound) {
      return { up: false, status, latencyMs, error: `${status} without “${request.expectText}”` };
    }
    return { up: true, status, latencyMs };
  } catch (error) {
    // Cancelled or out of the job's time: the scheduler's business, not a miss.
    if (signal.aborted) throw signal.reason;
    if (timeout.aborted) return { up: false, status: null, latencyMs: null, error: `no answer within ${request.timeoutMs / 1000} s` };
    return { up: false, status: null, latencyMs: null, error: requestError(error) };
  }
}
