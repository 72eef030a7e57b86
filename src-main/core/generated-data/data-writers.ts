/**
 * Writes generated rows as CSV, JSON, NDJSON or Parquet, pulling them batch by batch from a
 * generator: only one batch (text) or one row group (Parquet) is ever in memory, so 10 million
 * rows cost what 50,000 do. Each batch is awaited onto the disk, which is also where the run
 * yields to the rest of the core.
 */
import { ByteWriter, parquetWriteRows } from 'hyparquet-writer';
import { csvCell } from '../files/csv-cell';
import type { StagedFile } from '../files/staged-file';
import { parquetType, type CellValue, type Field, type GeneratedRow } from './field-schema';

export type DataFormat = 'csv' | 'json' | 'ndjson' | 'parquet';

/** Rows per Parquet row group: bounded memory while writing, and groups big enough to read well. */
export const PARQUET_ROW_GROUP = 20_000;

const jsonValue = (value: CellValue) => (value instanceof Date ? value.toISOString() : value);

/** Text formats; `batches` yields arrays of rows in order. */
export async function writeText(file: StagedFile, format: Exclude<DataFormat, 'parquet'>, fields: Field[], batches: AsyncIterable<GeneratedRow[]>): Promise<number> {
  const names = fields.map((f) => f.name);
  let rows = 0;
  if (format === 'csv') await file.write(`${names.map((n) => csvCell(n)).join(',')}\r\n`);
  if (format === 'json') await file.write('[');
  for await (const batch of batches) {
    let text = '';
    for (const row of batch) {
      if (format === 'csv') text += `${names.map((n) => csvCell(row[n] ?? null)).join(',')}\r\n`;
      else {
        const line = JSON.stringify(Object.fromEntries(names.map((n) => [n, jsonValue(row[n]!)])));
        text += format === 'ndjson' ? `${line}\n` : `${rows === 0 ? '\n' : ',\n'}${line}`;
      }
      rows++;
    }
    await file.write(text);
  }
  if (format === 'json') await file.write(rows === 0 ? ']\n' : '\n]\n');
  return rows;
}

/**
 * Parquet through hyparquet-writer's `parquetWriteRows`: it pulls one row group from the async
 * source, encodes it into the writer's buffer and calls `flush`, which we make write the buffer to
 * the file and await it — so the buffer holds one encoded row group at most. Only the footer's
 * metadata (a few hundred bytes per row group) grows with the row count.
 */
export async function writeParquet(file: StagedFile, fields: Field[], rows: AsyncIterable<GeneratedRow>): Promise<void> {
  const writer = new ByteWriter();
  const flush = async () => {
    if (writer.index === 0) return;
    await file.write(new Uint8Array(writer.buffer, 0, writer.index));
    writer.index = 0;
  };
  Object.assign(writer, { flush, finish: flush });
  await parquetWriteRows({
    writer,
    rows,
    columns: fields.map((field) => ({ name: field.name, type: parquetType(field), nullable: false })),
    rowGroupSize: PARQUET_ROW_GROUP,
    createdBy: 'Groundwork data.generate',
  });
}
