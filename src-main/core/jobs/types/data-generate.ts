/**
 * `data.generate`: rows of fake data from a field schema (names, emails, companies, numbers and
 * dates in ranges, enums, UUIDs, text — generated-data/field-schema.ts), seeded so a run is
 * reproducible, written as CSV, JSON, NDJSON or Parquet into a folder the person chose. Streamed:
 * rows are made and written batch by batch with progress, in bounded memory whatever the count.
 * The file is staged and renamed (files/staged-file.ts): a cancelled run leaves nothing behind.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { checkChosenFolder, folderParam, folderWriteError, isFileSystemError, localDay } from '../../files/chosen-folder';
import { writeStaged } from '../../files/staged-file';
import { writeParquet, writeText } from '../../generated-data/data-writers';
import { fieldsSchema, rowMaker, type GeneratedRow } from '../../generated-data/field-schema';
import type { JobType } from '../job-type';

/** Rows made and written per step; progress is reported and the event loop served between steps. */
const BATCH_ROWS = 5_000;
const PREVIEW_ROWS = 10;

const params = z.strictObject({
  fields: fieldsSchema,
  rows: z.number().int().min(1).max(100_000_000),
  format: z.enum(['csv', 'json', 'ndjson', 'parquet']).default('csv'),
  /** Same seed, same rows. */
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  folder: folderParam,
  /** The file's name without extension; `groundwork-data-<day>` by default. */
  fileName: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}$/, { error: 'must be a file name: letters, digits, spaces, . _ and -, no folders' })
    .optional(),
});

const result = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  seed: z.number().int(),
});

export type DataGenerateParams = z.infer<typeof params>;
export type DataGenerateResult = z.infer<typeof result>;

export const dataGenerateJob: JobType<typeof params, typeof result> = {
  type: 'data.generate',
  title: 'Generate data',
  params,
  result,
  async run(ctx, input, signal, progress) {
    await checkChosenFolder(input.folder);
    const path = join(input.folder, `${input.fileName ?? `groundwork-data-${localDay(ctx.now())}`}.${input.format}`);
    const total = input.rows;
    let done = 0;
    progress({ done, total, message: `Generating ${total} rows` });
    const counted = (rows: number) => {
      done += rows;
      progress({ done, total, message: `Generated ${done} of ${total} rows` });
    };
    const { bytes } = await writeStaged(path, async (file) => {
      if (input.format === 'parquet') await writeParquet(file, input.fields, eachRow(batches(input, signal, counted)));
      else await writeText(file, input.format, input.fields, batches(input, signal, counted));
    }).catch((error: unknown) => {
      throw isFileSystemError(error) ? folderWriteError(input.folder, error) : error;
    });
    ctx.log('info', `Wrote ${total} rows to ${path} (${bytes} bytes, seed ${input.seed})`);
    return { path, bytes, rows: total, seed: input.seed };
  },
  /** The first rows the run will write (same seed, same rows), as JSON-safe objects. */
  async preview(input) {
    const make = rowMaker(input.fields, input.seed);
    const rows: Record<string, string | number | boolean>[] = [];
    for (let i = 0; i < Math.min(PREVIEW_ROWS, input.rows); i++) {
      rows.push(Object.fromEntries(Object.entries(make(i)).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
    }
    return { fields: input.fields.map((f) => f.name), rows };
  },
};

/** Rows in batches; stops between batches once the run is cancelled or times out. */
async function* batches(input: DataGenerateParams, signal: AbortSignal, counted: (rows: number) => void): AsyncGenerator<GeneratedRow[]> {
  const make = rowMaker(input.fields, input.seed);
  for (let start = 0; start < input.rows; start += BATCH_ROWS) {
    signal.throwIfAborted();
    const batch: GeneratedRow[] = [];
    for (let i = start; i < Math.min(start + BATCH_ROWS, input.rows); i++) batch.push(make(i));
    yield batch;
    counted(batch.length);
    // Writes may be buffered without touching the disk: give timers and I/O a turn regardless.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

async function* eachRow(source: AsyncIterable<GeneratedRow[]>): AsyncGenerator<GeneratedRow> {
  for await (const batch of source) yield* batch;
}
