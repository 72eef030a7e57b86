/**
 * The one Content-Security-Policy for app pages, sent as a header by the web host and by the
 * Electron protocol handler. The renderer's index.html carries the same policy in a <meta> minus
 * `frame-ancestors` (browsers ignore that directive in <meta>), so the page is protected even
 * where no header is set.
 *
 * connect-src: the renderer talks to the core over a MessagePort (Electron) or a WebSocket to its
 * own origin (web host); nothing else. The ws: sources are spelled out because older engines do
 * not let 'self' match ws: URLs.
 */
const directives = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export const contentSecurityPolicy = directives.join('; ');

/** For a <meta http-equiv> tag: the header policy without the directives a <meta> cannot carry. */
export const contentSecurityPolicyMeta = directives.filter((d) => !d.startsWith('frame-ancestors')).join('; ');
