/** What Electron main and the core's utilityProcess say to each other over its parentPort. */
export type MainToCore =
  /** Carries one MessagePortMain (ports[0]): serve the API on it to one renderer. */
  | { type: 'connect' }
  /** Close the core (releasing the data-dir lock), then exit. */
  | { type: 'shutdown' };

export type CoreToMain =
  | { type: 'ready' }
  /** The core could not start; `message` is meant for the user (it names the data dir). */
  | { type: 'fatal'; code: string; message: string };

/** Arguments main passes to core-process.js; parsed on the other side with the same names. */
export function coreProcessArgs(options: { dataDir: string; demo: boolean }): string[] {
  return ['--data-dir', options.dataDir, ...(options.demo ? ['--demo'] : [])];
}
