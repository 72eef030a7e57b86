/**
 * The three shapes a report is written in. Each takes the rows batch by batch and awaits the disk
 * between batches, so a big export yields to the rest of the core instead of building the whole
 * file in memory first.
 */
import ExcelJS from 'exceljs';
import { CSV_LIST_SEPARATOR, csvCell } from '../files/csv-cell';
import { stagedStream, type StagedFile } from '../files/staged-file';
import type { ReportColumn, ReportRow, ReportValue } from './report-tables';

export type ReportFormat = 'csv' | 'json' | 'xlsx';

/** Rows of one table as the writers take them: its columns and its batches. */
export interface ReportSource {
  title: string;
  columns: ReportColumn[];
  batches: AsyncIterable<ReportRow[]>;
}

/** Called after each batch is written, with how many rows it held. */
export type RowsWritten = (rows: number) => void;

/** RFC 4180: CRLF line ends, and a UTF-8 byte order mark so Excel reads accents correctly. */
export async function writeCsv(file: StagedFile, source: ReportSource, written: RowsWritten): Promise<number> {
  await file.write(`\uFEFF${source.columns.map((c) => csvCell(c.header)).join(',')}\r\n`);
  let rows = 0;
  for await (const batch of source.batches) {
    let text = '';
    for (const row of batch) text += `${source.columns.map((c) => csvCell(row[c.key] ?? null)).join(',')}\r\n`;
    await file.write(text);
    rows += batch.length;
    written(batch.length);
  }
  return rows;
}

/** `{ "exportedAt", "scope", "<table>": [ … ] }`, written as it goes, keys in column order. */
export async function writeJson(file: StagedFile, header: Record<string, unknown>, source: ReportSource, written: RowsWritten): Promise<number> {
  const opening = JSON.stringify(header).slice(0, -1);
  await file.write(`${opening}${opening.length > 1 ? ',' : ''}${JSON.stringify(source.title.toLowerCase())}:[`);
  let rows = 0;
  for await (const batch of source.batches) {
    let text = '';
    for (const row of batch) {
      const ordered = Object.fromEntries(source.columns.map((c) => [c.key, row[c.key] ?? null]));
      text += `${rows === 0 ? '\n' : ',\n'}${JSON.stringify(ordered)}`;
      rows++;
    }
    await file.write(text);
    written(batch.length);
  }
  await file.write(rows === 0 ? ']}\n' : '\n]}\n');
  return rows;
}

/** One workbook, one sheet per table, streamed (exceljs' WorkbookWriter commits row by row). */
export async function writeXlsx(file: StagedFile, sources: ReportSource[], written: RowsWritten): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: stagedStream(file), useStyles: true, useSharedStrings: false });
  let rows = 0;
  for (const source of sources) {
    const sheet = workbook.addWorksheet(source.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = source.columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(12, c.header.length + 2) }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const batch of source.batches) {
      for (const row of batch) {
        const cells = Object.fromEntries(source.columns.map((c) => [c.key, xlsxCell(row[c.key] ?? null)]));
        sheet.addRow(cells).commit();
      }
      rows += batch.length;
      written(batch.length);
      // Let the zip stream drain into the file before the next batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    sheet.commit();
  }
  await workbook.commit();
  return rows;
}

function xlsxCell(value: ReportValue): string | number | boolean | null {
  return Array.isArray(value) ? value.join(CSV_LIST_SEPARATOR) : value;
}
