/**
 * A timestamptz as SQL text in the doc's own format (`Date.toISOString()`: made by `now()`), so a
 * row read through Postgres' JSON functions comes back exactly as the write path returned it.
 */
export const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
