/**
 * A folder a person chose for a job's output (the main process's folder dialog fills it). Checked
 * when the job runs, not only when it is saved: a folder on a disk that is unplugged tonight is a
 * clear error naming the `folder` field, never a stack trace or a file written somewhere else.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../contract';

/** The params field: an absolute path (a relative one would depend on the core's working dir). */
export const folderParam = z
  .string()
  .trim()
  .min(1, 'choose a folder')
  .refine((path) => isAbsolute(path), 'must be an absolute path');

/** Resolves when `folder` exists, is a folder and can be written to; else a VALIDATION error. */
export async function checkChosenFolder(folder: string, field = 'folder'): Promise<void> {
  const refuse = (why: string) => new ApiError('VALIDATION', `${field}: ${why}`, { field, issues: [{ path: field, message: why }] });
  let info;
  try {
    info = await stat(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw refuse(code === 'ENOENT' ? `the folder ${folder} does not exist` : `the folder ${folder} cannot be read (${code})`);
  }
  if (!info.isDirectory()) throw refuse(`${folder} is a file, not a folder`);
  try {
    await access(folder, constants.W_OK);
  } catch (error) {
    throw refuse(`the folder ${folder} cannot be written to (${(error as NodeJS.ErrnoException).code})`);
  }
}

/** A write into the folder failed after the check passed (read-only share, disk full): name the field too. */
export function folderWriteError(folder: string, error: unknown, field = 'folder'): ApiError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const why = `cannot write into ${folder} (${code}: ${(error as Error).message})`;
  return new ApiError('VALIDATION', `${field}: ${why}`, { field, issues: [{ path: field, message: why }] });
}

/**
 * The day a file is stamped with (`groundwork-tasks-WEB-2026-11-28.csv`): the person's local
 * calendar day, since they look for "today's export" in their own folder.
 */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A name part safe in file names on Windows, macOS and Linux: letters, digits and dashes. */
export function fileNamePart(text: string, fallback: string): string {
  const part = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return part || fallback;
}

/** An error from the file system (`EACCES`, `ENOSPC`…), as opposed to a cancel or a bug. */
export function isFileSystemError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
