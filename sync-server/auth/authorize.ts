/**
 * The one check every credential passes, at the WebSocket upgrade and on the HTTP API: a valid
 * signature and expiry (tokens.ts), then the relay's own record — only tokens this relay issued
 * and has not revoked are honoured, so revocation needs no token blacklist in memory.
 */
import type { RelayStore } from '../storage/relay-store';
import { TokenError, type TokenClaims, verifyToken } from './tokens';

export async function authorize(secret: Uint8Array, store: RelayStore, token: string | null | undefined): Promise<TokenClaims> {
  const claims = await verifyToken(secret, token);
  const record = await store.token(claims.jti);
  if (!record || record.workspace !== claims.workspace || record.role !== claims.role) {
    throw new TokenError('token not issued by this relay', 'unknown', 401);
  }
  if (record.revokedAt) throw new TokenError('token revoked', 'revoked', 401);
  return claims;
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}
