/**
 * Ids derived from names (the layout of a version-5 UUID over SHA-1): two replicas naming the same
 * thing offline — the same repo linked to the same project, the same PR linked to the same task —
 * make the same id, so their entries are one entry once the docs merge.
 */
import { createHash } from 'node:crypto';

export function nameId(...parts: string[]): string {
  const hash = createHash('sha1').update(`groundwork:${parts.join(':')}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
