// What the Electron preload exposes (src-preload/bridge.ts, kept in step by hand: the web
// project cannot include preload files). Absent in a plain browser, where the renderer talks to
// the web host over a WebSocket.
export {};

declare global {
  interface Window {
    groundwork?: {
      isDesktop: boolean;
      platform: string;
      /** Invite links (`groundwork://join?…`) the desktop app was opened with; returns an unsubscribe. */
      onInvite?(callback: (invite: string) => void): () => void;
    };
  }
}
