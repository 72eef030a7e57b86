// What the Electron preload exposes (it connects the core's MessagePort; nothing else).
// Absent in a plain browser, where the renderer talks to the web host over a WebSocket.
export {};

declare global {
  interface Window {
    groundwork?: { isDesktop: boolean; platform: string };
  }
}
