/**
 * Yjs updates cross into PGlite as base64 text (`decode($n, 'base64')` / `encode(col, 'base64')`)
 * rather than as bytea parameters: PGlite converts bytea byte by byte in JavaScript, which for the
 * megabyte-sized updates of an offline merge measured ~10× slower to write and ~20× slower to read
 * (bench/offline-merge). Plain Postgres runs the same SQL. Used by the relay's store and the
 * app's update log alike. lib0 (Yjs's own library) picks Node's Buffer where it exists and the
 * browser's codec elsewhere, so this stays env-neutral.
 */
export { fromBase64, toBase64 } from 'lib0/buffer';
