/**
 * The files an execution keeps (audit screenshots): `<dataDir>/jobs/<executionId>/`, created by the
 * scheduler on a type's first `filesDir()` call and removed with the execution by retention. The
 * API hands a file out only from inside that folder, so a path in a result (which a type, or a
 * teammate's doc, could make up) never reads anything else on the machine.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ApiError } from '../../contract';

export function executionFilesDir(dataDir: string, executionId: string): string {
  return join(dataDir, 'jobs', executionId);
}

/** What the renderer can show inline; anything else is refused (it has no use for it). */
const imageTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};
/** A full-page screenshot is a few MB at most; a data URL over the RPC must stay bounded. */
export const maxExecutionFileBytes = 15 * 1024 * 1024;

/**
 * A file of the execution's folder as a data URL. `path` is relative to that folder or absolute
 * inside it. FORBIDDEN for anything that resolves outside it (`..`, another execution, a symlink
 * leading out), VALIDATION for a file that is not an image, NOT_FOUND when there is no such file.
 */
export async function readExecutionFile(dataDir: string | null, executionId: string, path: string): Promise<{ dataUrl: string }> {
  if (!dataDir) throw new ApiError('NOT_FOUND', 'path: this Groundwork keeps no files for executions (its data is in memory only)', { field: 'path' });
  const folder = executionFilesDir(dataDir, executionId);
  const wanted = isAbsolute(path) ? resolve(path) : resolve(folder, path);
  if (!isInside(folder, wanted)) throw outside();
  const mime = imageTypes[extname(wanted).toLowerCase()];
  if (!mime) throw new ApiError('VALIDATION', `path: only images can be read (${Object.keys(imageTypes).join(', ')})`, { field: 'path' });
  let real: string;
  let realFolder: string;
  try {
    [realFolder, real] = await Promise.all([realpath(folder), realpath(wanted)]);
  } catch {
    throw new ApiError('NOT_FOUND', 'path: this execution has no such file (it may have been removed by retention)', { field: 'path' });
  }
  // The lexical check above is not enough: a symlink inside the folder may lead anywhere.
  if (!isInside(realFolder, real)) throw outside();
  const info = await stat(real);
  if (!info.isFile()) throw new ApiError('VALIDATION', 'path: must name a file, not a folder', { field: 'path' });
  if (info.size > maxExecutionFileBytes) throw new ApiError('VALIDATION', `path: the file is larger than ${maxExecutionFileBytes / 1024 / 1024} MB`, { field: 'path' });
  const bytes = await readFile(real);
  return { dataUrl: `data:${mime};base64,${bytes.toString('base64')}` };
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

const outside = () => new ApiError('FORBIDDEN', "path: only files inside the execution's own files folder can be read", { field: 'path' });
