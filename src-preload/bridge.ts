/**
 * What the preload exposes to the page as `window.groundwork`. Deliberately nothing that can act:
 * the page reaches the core only through the MessagePort the preload forwards to it, and the one
 * subscription here only receives (invite links the OS opened the app with).
 * Type-only for the renderer: `import type { Bridge } from '../../src-preload/bridge'`.
 */
export interface Bridge {
  /** process.platform of the desktop machine ('darwin', 'win32', 'linux', …). */
  readonly platform: string;
  readonly isDesktop: true;
  /**
   * Calls `callback` with each `groundwork://join?…` invite link the app is opened with (main has
   * checked it is an invite; one that came before anyone subscribed is delivered on subscribing).
   * The page should only pre-fill the Join form: joining needs the person's confirmation.
   * Returns an unsubscribe function.
   */
  onInvite(callback: (invite: string) => void): () => void;
}

/**
 * The window messages of the port hand-over. The page posts `connectRequest` (after it listens)
 * to ask for a port; the preload posts `portMessage` with the port in `event.ports[0]`.
 */
export const bridgeMessages = { connectRequest: 'groundwork:connect', portMessage: 'groundwork:port' } as const;

/** IPC channels from main to the preload (besides the port hand-over). */
export const bridgeChannels = { invite: 'groundwork:invite' } as const;
