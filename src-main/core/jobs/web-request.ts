/** What jobs that make web requests (site audits, uptime checks) share: their URL params, and a failed request's reason in words. */
import { z } from 'zod';

export function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

export const httpUrl = z.string().refine(isHttpUrl, { error: 'must be an http:// or https:// URL' });

/** Why a request failed, in a few words: fetch's own message ("fetch failed") hides the cause. */
export function requestError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) return (cause as Error & { code?: string }).code ?? cause.message;
    return error.message;
  }
  return String(error);
}
