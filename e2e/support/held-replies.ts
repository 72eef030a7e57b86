/**
 * Holds back the web host's replies to one API method on the page's socket, as a slow machine or
 * a busy core would deliver them: to test what a person sees in between, and that it ends right.
 * Everything else on the socket (other replies, pushed events) passes at once.
 */
import type { Page } from '@playwright/test';

export interface HeldReplies {
  /** Delivers the held replies, and every later one at once. */
  release(): void;
}

export async function holdReplies(
  page: Page,
  method: string,
  options: { afterCallTo?: string; releaseAfterMs?: number } = {},
): Promise<HeldReplies> {
  let holding = options.afterCallTo === undefined;
  let released = false;
  const waiting: (() => void)[] = [];
  const release = () => {
    released = true;
    waiting.splice(0).forEach((deliver) => deliver());
  };
  await page.routeWebSocket(/\/api\?token=/, (pageSide) => {
    const hostSide = pageSide.connectToServer();
    const held = new Set<unknown>();
    pageSide.onMessage((frame) => {
      const call = JSON.parse(String(frame)) as { id?: unknown; method?: string };
      if (call.method === options.afterCallTo) holding = true;
      if (holding && !released && call.method === method) {
        held.add(call.id);
        if (options.releaseAfterMs !== undefined) setTimeout(release, options.releaseAfterMs);
      }
      hostSide.send(frame);
    });
    hostSide.onMessage((frame) => {
      const reply = JSON.parse(String(frame)) as { id?: unknown };
      if (held.delete(reply.id) && !released) waiting.push(() => pageSide.send(frame));
      else pageSide.send(frame);
    });
  });
  return { release };
}
