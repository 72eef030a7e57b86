/**
 * Run as a child process by the backup tests: dumps an in-memory core into argv[2] and, once the
 * first chunk of the dump is on disk, prints one JSON line and stops dead (blocked, still holding
 * the half-written file) until the test kills it with SIGKILL.
 */
import { writeBackup } from '../backups/backup-files';
import { createCore } from '../core';

const [folder] = process.argv.slice(2);
const core = await createCore({ dataDir: null });
const dump = await core.internals.db.dumpDataDir('gzip');
await writeBackup(folder!, dump, {
  createdAt: new Date(),
  migration: null,
  onProgress(written, total) {
    console.log(JSON.stringify({ written, total }));
    // Blocks this process mid-write: the test's SIGKILL lands with the backup half done.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  },
});
console.log(JSON.stringify({ finished: true }));
