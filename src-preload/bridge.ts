/**
 * What the preload exposes to the page as `window.groundwork`. Deliberately nothing that can act:
 * the page reaches the core only through the MessagePort the preload forwards to it.
 * Type-only for the renderer: `import type { Bridge } from '../../src-preload/bridge'`.
 */
export interface Bridge {
  /** process.platform of the desktop machine ('darwin', 'win32', 'linux', …). */
  readonly platform: string;
  readonly isDesktop: true;
}

/**
 * The window messages of the port hand-over. The page posts `connectRequest` (after it listens)
 * to ask for a port; the preload posts `portMessage` with the port in `event.ports[0]`.
 */
export const bridgeMessages = { connectRequest: 'groundwork:connect', portMessage: 'groundwork:port' } as const;
