/**
 * Control messages between Electron main and the core's utilityProcess over its parentPort. The
 * API itself never travels here: renderers get MessagePorts to the core, and the core gets one to
 * main (`main-port`), each carrying the RPC.
 */
export type MainToCore =
  /** Carries the core's MessagePort to main (ports[0]): the MainApi RPC. Sent first, once. */
  | { type: 'main-port' }
  /** Carries one MessagePortMain (ports[0]): serve the API on it to one renderer. */
  | { type: 'connect' }
  /** Close the core (releasing the data-dir lock), then exit. */
  | { type: 'shutdown' };

export type CoreToMain =
  | { type: 'ready' }
  /** The core could not start; `message` is meant for the user (it names the data dir). */
  | { type: 'fatal'; code: string; message: string };

/**
 * Arguments main passes to core-process.js; parsed on the other side with the same names.
 * `restoreFrom`: a backup to restore before the replica opens (`backups.restore` → `app.restart`).
 */
export function coreProcessArgs(options: { dataDir: string; demo: boolean; restoreFrom?: string }): string[] {
  return ['--data-dir', options.dataDir, ...(options.demo ? ['--demo'] : []), ...(options.restoreFrom ? ['--restore-from', options.restoreFrom] : [])];
}
