/**
 * The core's SecretSealer in the desktop app. The core runs in a utilityProcess, and only main
 * can use safeStorage (the OS keychain), so sealing and opening are requests to main over the
 * process's parentPort, matched to their answers by id. Pure on purpose: the port is structural,
 * so the correlation and timeout logic runs under vitest with a fake port.
 */
import { ApiError } from '../contract';
import type { SecretSealer } from '../core/sync/secrets';
import { isSecretResponse, type SecretRequest, type SecretResponse } from './core-messages';

export interface SecretPort {
  post(request: SecretRequest): void;
  /** Every message from main; those that are not secret answers are ignored here. */
  onMessage(listener: (message: unknown) => void): void;
}

/**
 * Long enough for a person to answer a keychain prompt (macOS asks once per app signature);
 * short enough that a lost answer ends as an error instead of a call that never returns.
 */
export const defaultSecretTimeoutMs = 60_000;

export function sealerOverPort(port: SecretPort, options: { timeoutMs?: number } = {}): SecretSealer {
  const timeoutMs = options.timeoutMs ?? defaultSecretTimeoutMs;
  const pending = new Map<number, { expect: 'sealed' | 'opened'; resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  let nextId = 1;

  port.onMessage((message) => {
    if (!isSecretResponse(message)) return;
    const waiting = pending.get(message.id);
    if (!waiting) return; // timed out already, or not ours
    pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.type === 'secret-error') waiting.reject(new ApiError('UNAVAILABLE', message.message));
    else if (message.type !== waiting.expect) waiting.reject(new ApiError('INTERNAL', `Electron main answered a secret request with "${message.type}"`));
    else waiting.resolve(message.text);
  });

  const ask = (type: SecretRequest['type'], text: string) =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const verb = type === 'seal' ? 'store' : 'read';
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(
          new ApiError(
            'UNAVAILABLE',
            `The desktop app did not ${verb} a team sync token in the system keychain within ${Math.round(timeoutMs / 1000)} s. ` +
              'If a keychain prompt is open, allow Groundwork and try again.',
          ),
        );
      }, timeoutMs);
      // A pending request must not keep a closing core process alive.
      timer.unref?.();
      pending.set(id, { expect: type === 'seal' ? 'sealed' : 'opened', resolve, reject, timer });
      try {
        port.post({ type, id, text });
      } catch (error) {
        pending.delete(id);
        clearTimeout(timer);
        reject(new ApiError('UNAVAILABLE', `Could not ask the desktop app to ${verb} a team sync token: ${(error as Error).message}`));
      }
    });

  return { seal: (text) => ask('seal', text), open: (sealed) => ask('open', sealed) };
}

/** The part of Electron's safeStorage main uses (structural, so tests can pass a fake). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  /** Linux only: 'basic_text' means a hard-coded password, i.e. no protection. */
  getSelectedStorageBackend(): string;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string }>;
}

const noKeyringHelp =
  'Install and unlock a keyring (GNOME Keyring or KWallet), or use the web host (`npm run web`), which keeps its key in a file only you can read.';

/** Main's side: answers one request from the core with safeStorage; never throws. */
export async function answerSecretRequest(
  request: SecretRequest,
  storage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): Promise<SecretResponse> {
  const refuse = (message: string): SecretResponse => ({ type: 'secret-error', id: request.id, message });
  try {
    if (!(await storage.isAsyncEncryptionAvailable())) {
      return refuse(
        `Team sync tokens cannot be stored: the system keychain is not available to Groundwork on this machine.${platform === 'linux' ? ` ${noKeyringHelp}` : ''}`,
      );
    }
    // Without a keyring, Chromium on Linux "encrypts" with a password compiled into it.
    if (platform === 'linux' && storage.getSelectedStorageBackend() === 'basic_text') {
      return refuse(`Team sync tokens cannot be stored safely on this machine: no system keyring was found. ${noKeyringHelp}`);
    }
  } catch (error) {
    return refuse(`Team sync tokens cannot be stored: the system keychain failed (${(error as Error).message}).`);
  }
  if (request.type === 'seal') {
    try {
      return { type: 'sealed', id: request.id, text: (await storage.encryptStringAsync(request.text)).toString('base64') };
    } catch (error) {
      return refuse(`The system keychain refused to store a team sync token: ${(error as Error).message}`);
    }
  }
  try {
    return { type: 'opened', id: request.id, text: (await storage.decryptStringAsync(Buffer.from(request.text, 'base64'))).result };
  } catch {
    return refuse(
      'A stored team sync token could not be opened with this machine’s keychain (it was stored by another user or machine, or the keychain was reset). ' +
        'Leave the workspace and join it again with a new invite.',
    );
  }
}
