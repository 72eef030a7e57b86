/** What Electron main and the core's utilityProcess say to each other over its parentPort. */
export type MainToCore =
  /** Carries one MessagePortMain (ports[0]): serve the API on it to one renderer. */
  | { type: 'connect' }
  /** Close the core (releasing the data-dir lock), then exit. */
  | { type: 'shutdown' }
  | SecretResponse;

export type CoreToMain =
  | { type: 'ready' }
  /** The core could not start; `message` is meant for the user (it names the data dir). */
  | { type: 'fatal'; code: string; message: string }
  | SecretRequest;

/**
 * Only main can use safeStorage, so the core's SecretSealer asks it: `seal` carries a relay
 * token, `open` what a `seal` returned (base64). Answers name the request's id.
 */
export type SecretRequest = { type: 'seal' | 'open'; id: number; text: string };
export type SecretResponse = { type: 'sealed' | 'opened'; id: number; text: string } | { type: 'secret-error'; id: number; message: string };

export function isSecretRequest(message: unknown): message is SecretRequest {
  const m = message as Partial<SecretRequest> | null;
  return (m?.type === 'seal' || m?.type === 'open') && typeof m.id === 'number' && typeof m.text === 'string';
}

export function isSecretResponse(message: unknown): message is SecretResponse {
  const m = message as { type?: unknown; id?: unknown; text?: unknown; message?: unknown } | null;
  if (typeof m?.id !== 'number') return false;
  if (m.type === 'sealed' || m.type === 'opened') return typeof m.text === 'string';
  return m.type === 'secret-error' && typeof m.message === 'string';
}

/** Arguments main passes to core-process.js; parsed on the other side with the same names. */
export function coreProcessArgs(options: { dataDir: string; demo: boolean }): string[] {
  return ['--data-dir', options.dataDir, ...(options.demo ? ['--demo'] : [])];
}
