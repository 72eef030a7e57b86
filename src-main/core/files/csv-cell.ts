/**
 * One CSV cell (RFC 4180), for every CSV Groundwork writes (report exports, generated data).
 *
 * A text cell that starts with = + - @ (or a tab or CR) is run as a formula when the CSV is opened
 * in a spreadsheet (CSV injection, OWASP): such text gets a leading apostrophe, which spreadsheets
 * show as text. Numbers are never guarded (`-5` stays a number).
 */
export type CsvValue = string | number | boolean | Date | string[] | null;

/** Several values in one cell (assignees, labels): `; ` reads well and rarely occurs in a label. */
export const CSV_LIST_SEPARATOR = '; ';
const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  let text = Array.isArray(value) ? value.join(CSV_LIST_SEPARATOR) : String(value);
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
