/**
 * Invite links that open the desktop app: `groundwork://join?relay=ws(s)://…&token=…`. The OS
 * hands us whatever `groundwork://` URL was clicked (macOS 'open-url'; Windows/Linux argv), so
 * main forwards only what passes here to the window, never an arbitrary URL, and the page only
 * pre-fills the Join form with it: nothing joins until the person confirms.
 */

/** Longer than any real invite (a relay URL and a JWT), short enough to bound what we forward. */
const maxInviteLength = 4096;

/** The invite, rebuilt from its two parameters, or null when `text` is not an invite link. */
export function inviteFromUrl(text: string): string | null {
  if (typeof text !== 'string' || text.length > maxInviteLength) return null;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  // `groundwork://app/…` is where the app's own pages are served from; only `join` is an invite.
  if (url.protocol !== 'groundwork:' || url.hostname.toLowerCase() !== 'join' || url.username || url.password || url.port) return null;
  if (url.pathname !== '' && url.pathname !== '/') return null;
  const relay = url.searchParams.get('relay');
  const token = url.searchParams.get('token');
  if (!relay || !token || !/^wss?:\/\/[^\s/?#]+/i.test(relay) || /\s/.test(token)) return null;
  try {
    const relayUrl = new URL(relay);
    if (relayUrl.username || relayUrl.password) return null;
  } catch {
    return null;
  }
  // Rebuilt, so anything else the link carried (other parameters, a fragment) is dropped.
  return `groundwork://join?${new URLSearchParams({ relay, token }).toString()}`;
}

/**
 * The invite in a command line (Windows and Linux start the app, or a second instance, with the
 * clicked link as an argument among Chromium's switches). The last valid one wins.
 */
export function inviteFromArgv(argv: readonly string[]): string | null {
  let found: string | null = null;
  for (const arg of argv) {
    if (!/^groundwork:/i.test(arg)) continue;
    found = inviteFromUrl(arg) ?? found;
  }
  return found;
}

/**
 * Where a link clicked in the app goes instead of navigating the window: web pages to the
 * browser, an invite to the Join form (the same path as one the OS hands us), anything else
 * nowhere.
 */
export type LinkRoute = { to: 'browser'; url: string } | { to: 'join-form'; invite: string } | { to: 'nowhere' };

export function routeLink(text: string): LinkRoute {
  const invite = inviteFromUrl(text);
  if (invite) return { to: 'join-form', invite };
  try {
    const url = new URL(text);
    if (url.protocol === 'https:' || url.protocol === 'http:') return { to: 'browser', url: url.href };
  } catch {
    // not a URL
  }
  return { to: 'nowhere' };
}
