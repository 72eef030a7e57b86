/**
 * Invites: `groundwork://join?relay=<ws url>&token=<jwt>`, and the relay's HTTP API as the app
 * calls it. Replies are parsed with the schemas the relay builds them by (sync-protocol): a reply
 * this version cannot read is a clear UNAVAILABLE, never a cast.
 */
import type { z } from 'zod';
import { ApiError } from '../../contract';
import { errorReply, firstIssue, inviteReply, type InviteReply, whoamiReply, type WhoamiReply } from '../../sync-protocol/http-replies';

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

/** What the relay says a token is (`GET /v1/whoami`). */
export type TokenInfo = WhoamiReply;

/** The relay's HTTP base for its ws:// address (same host and port). */
export const httpBase = (relayUrl: string) => relayUrl.replace(/^ws/, 'http');

/** Asks the relay who a token is (which also checks it is valid and not revoked). */
export async function whoami(fetchImpl: typeof fetch, invite: Invite): Promise<TokenInfo> {
  const response = await relayRequest(fetchImpl, invite, '/v1/whoami', { method: 'GET' });
  return readReply(response, whoamiReply, invite);
}

/** The reply of `POST /v1/invites`: the invite the relay minted. */
export const readInviteReply = (response: Response, invite: Invite): Promise<InviteReply> => readReply(response, inviteReply, invite);

/** A relay reply's JSON, checked against its schema; anything else is UNAVAILABLE naming the field. */
export async function readReply<T>(response: Response, schema: z.ZodType<T>, invite: Invite): Promise<T> {
  const unreadable = (why: string) =>
    new ApiError('UNAVAILABLE', `The relay at ${invite.relayUrl} answered something this version of Groundwork does not understand: ${why}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw unreadable('(body): not JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw unreadable(firstIssue(parsed.error));
  return parsed.data;
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
  const refusal = errorReply.safeParse(await response.json().catch(() => null));
  const why = refusal.success ? refusal.data.error : response.statusText;
  if (response.status === 401) throw new ApiError('FORBIDDEN', `The relay did not accept the token: ${why}`);
  if (response.status === 403) throw new ApiError('FORBIDDEN', `The relay refused: ${why}`);
  if (response.status === 400) throw new ApiError('VALIDATION', `The relay refused the request: ${why}`);
  if (response.status === 404) throw new ApiError('NOT_FOUND', `The relay found nothing there: ${why}`);
  throw new ApiError('UNAVAILABLE', `The relay answered ${response.status}: ${why}`);
}
