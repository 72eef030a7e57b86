/**
 * Yjs updates cross into PGlite as base64 text (`decode($n, 'base64')` / `encode(col, 'base64')`)
 * rather than as bytea parameters: PGlite converts bytea byte by byte in JavaScript, which for the
 * megabyte-sized updates of an offline merge measured ~10× slower to write and ~20× slower to read
 * (bench/offline-merge). Plain Postgres runs the same SQL. Used by the relay's store and the
 * app's update log alike.
 */
export const toBase64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export const fromBase64 = (text: string): Uint8Array => {
  const buffer = Buffer.from(text, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};
