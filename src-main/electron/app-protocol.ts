/**
 * The renderer is served from `groundwork://app/`, not file://. A custom standard scheme gives the
 * pages a real origin of their own (file:// pages share one with every local file), lets the
 * frame check compare origins, lets module scripts and absolute asset paths load as on the web
 * host, and lets every response carry the CSP header.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy } from '../host/content-security-policy';
import { locateStaticFile, staticHeaders } from '../host/static-files';

export const appScheme = 'groundwork';
export const appOrigin = `${appScheme}://app`;
export const appIndexUrl = `${appOrigin}/index.html`;

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves `rendererDir` under appOrigin; anything else on the scheme is a 404. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'app' && request.method === 'GET' ? await locateStaticFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    return new Response(await readFile(file), { headers: staticHeaders(file, contentSecurityPolicy) });
  });
}
