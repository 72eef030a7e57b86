/**
 * Same-origin link checks for a whole audit run: each link is asked once however many pages link
 * to it, a few at a time, each with its own time limit and all stopped by the run's signal.
 */
import { requestError } from '../web-request';
import type { BrokenLink } from './findings';

export interface LinkCheckOptions {
  fetch: typeof fetch;
  signal: AbortSignal;
  /** Links asked at the same time across the run. */
  concurrency?: number;
  timeoutMs?: number;
}

export type LinkChecker = (url: string) => Promise<BrokenLink | null>;

export function linkChecker(options: LinkCheckOptions): LinkChecker {
  const limit = options.concurrency ?? 4;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const answers = new Map<string, Promise<BrokenLink | null>>();
  let active = 0;
  const waiting: (() => void)[] = [];

  async function slot<T>(work: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  }

  async function ask(url: string): Promise<BrokenLink | null> {
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]);
    try {
      // HEAD saves the body; servers that do not implement it get a GET.
      let response = await options.fetch(url, { method: 'HEAD', redirect: 'follow', signal });
      if (response.status === 405 || response.status === 501) {
        response = await options.fetch(url, { method: 'GET', redirect: 'follow', signal });
        await response.body?.cancel();
      }
      return response.status >= 400 ? { url, status: response.status } : null;
    } catch (error) {
      if (options.signal.aborted) throw error;
      return { url, status: null, error: requestError(error) };
    }
  }

  return (url) => {
    let answer = answers.get(url);
    if (!answer) {
      answer = slot(() => ask(url));
      answers.set(url, answer);
    }
    return answer;
  };
}
