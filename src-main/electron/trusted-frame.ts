/**
 * Who may ask for a port to the core (DESIGN.md, Contract and RPC). The port is a full remote
 * control of the user's data, so it goes only to the main frame of one of our own windows showing
 * our own pages — never to an iframe, a page the window was somehow navigated to, or a frame that
 * is already gone (`senderFrame` null). Pure, so it is tested without Electron.
 */
export interface FrameFacts {
  url: string;
  isMainFrame: boolean;
  isOurWindow: boolean;
}

/** `appOrigins` are scheme://host strings: the app protocol, and the dev server in development. */
export function isTrustedFrame(frame: FrameFacts | null, appOrigins: readonly string[]): boolean {
  if (!frame || !frame.isMainFrame || !frame.isOurWindow) return false;
  const origin = originOf(frame.url);
  return origin !== null && appOrigins.includes(origin);
}

/**
 * scheme://host[:port], computed by hand: WHATWG URL gives non-special schemes such as our
 * `groundwork:` protocol the opaque origin "null", which would make every such URL look alike.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!parsed.host || parsed.username || parsed.password) return null;
  return `${parsed.protocol}//${parsed.host}`;
}
