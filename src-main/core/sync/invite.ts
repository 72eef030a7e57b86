/** Invites: `groundwork://join?relay=<ws url>&token=<jwt>`, and what the relay says a token is. */
import { ApiError, type Role } from '../../contract';

export interface Invite {
  relayUrl: string;
  token: string;
}

export function parseInvite(text: string, field = 'invite'): Invite {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ApiError('VALIDATION', `${field}: is not a link`, { field });
  }
  const relayUrl = url.searchParams.get('relay');
  const token = url.searchParams.get('token');
  if (url.protocol !== 'groundwork:' || !relayUrl || !token) {
    throw new ApiError('VALIDATION', `${field}: must look like groundwork://join?relay=ws://…&token=…`, { field });
  }
  if (!/^wss?:\/\//.test(relayUrl)) throw new ApiError('VALIDATION', `${field}: the relay address must start with ws:// or wss://`, { field });
  return { relayUrl: relayUrl.replace(/\/+$/, ''), token };
}

export interface TokenInfo {
  workspace: string;
  workspaceName: string | null;
  role: Role;
  jti: string;
  name: string | null;
}

/** The relay's HTTP base for its ws:// address (same host and port). */
export const httpBase = (relayUrl: string) => relayUrl.replace(/^ws/, 'http');

/** Asks the relay who a token is (which also checks it is valid and not revoked). */
export async function whoami(fetchImpl: typeof fetch, invite: Invite): Promise<TokenInfo> {
  const response = await relayRequest(fetchImpl, invite, '/v1/whoami', { method: 'GET' });
  return (await response.json()) as TokenInfo;
}

export async function relayRequest(fetchImpl: typeof fetch, invite: Invite, path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(`${httpBase(invite.relayUrl)}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${invite.token}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new ApiError('UNAVAILABLE', `Could not reach the relay at ${invite.relayUrl}: ${(error as Error).message}`);
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => null)) as { error?: string; message?: string } | null;
  const why = body?.message ?? body?.error ?? response.statusText;
  if (response.status === 401) throw new ApiError('FORBIDDEN', `The relay did not accept the token: ${why}`);
  if (response.status === 403) throw new ApiError('FORBIDDEN', `The relay refused: ${why}`);
  if (response.status === 400) throw new ApiError('VALIDATION', `The relay refused the request: ${why}`);
  throw new ApiError('UNAVAILABLE', `The relay answered ${response.status}: ${why}`);
}
