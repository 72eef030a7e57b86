/**
 * data.generate run directly on a real core: the output matches its schema and count in every
 * format (read back: CSV, JSON and NDJSON parsed, Parquet with hyparquet), the same seed gives the
 * same bytes (also when two runs go at once), another seed other rows, the preview is the run's
 * first rows, and a million rows stay within a fixed memory bound.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../core';
import { coreWithProject, tempDir } from '../../testing/temp-core';
import { testRunContext } from '../testing/run-context';
import { dataGenerateJob, type DataGenerateResult } from './data-generate';
import { parseCsv } from '../../files/testing/parse-csv';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const newFolder = () => {
  const dir = tempDir('groundwork-generate-');
  cleanups.push(dir.remove);
  return dir.path;
};

const fields = [
  { name: 'id', kind: 'uuid' },
  { name: 'n', kind: 'sequence', start: 1 },
  { name: 'name', kind: 'fullName' },
  { name: 'email', kind: 'email' },
  { name: 'company', kind: 'company' },
  { name: 'age', kind: 'integer', min: 18, max: 65 },
  { name: 'score', kind: 'number', min: -1, max: 1, fractionDigits: 3 },
  { name: 'signedUp', kind: 'date', from: '2024-01-01', to: '2024-12-31' },
  { name: 'plan', kind: 'enum', values: ['free', 'pro', 'team'] },
  { name: 'active', kind: 'boolean' },
  { name: 'bio', kind: 'sentence' },
];

interface Row {
  id: string;
  n: number;
  name: string;
  email: string;
  company: string;
  age: number;
  score: number;
  signedUp: string | Date;
  plan: string;
  active: boolean | string;
  bio: string;
}

function expectSchema(rows: Row[], count: number) {
  expect(rows).toHaveLength(count);
  rows.forEach((row, i) => {
    expect(Object.keys(row)).toEqual(fields.map((f) => f.name));
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number(row.n)).toBe(i + 1);
    expect(row.name.length).toBeGreaterThan(2);
    expect(row.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/i);
    expect(row.company.length).toBeGreaterThan(1);
    expect(Number(row.age)).toBeGreaterThanOrEqual(18);
    expect(Number(row.age)).toBeLessThanOrEqual(65);
    expect(Number.isInteger(Number(row.age))).toBe(true);
    expect(Math.abs(Number(row.score))).toBeLessThanOrEqual(1);
    const signed = new Date(row.signedUp).getTime();
    expect(signed).toBeGreaterThanOrEqual(Date.parse('2024-01-01'));
    expect(signed).toBeLessThanOrEqual(Date.parse('2024-12-31'));
    expect(['free', 'pro', 'team']).toContain(row.plan);
    expect([true, false, 'true', 'false']).toContain(row.active);
    expect(row.bio).toMatch(/\.$/);
  });
}

/** CSV read back with a parser independent of the writer, as objects by header. */
function parseCsvRows(text: string): Row[] {
  const [header, ...rest] = parseCsv(text);
  return rest.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])) as unknown as Row);
}

async function generate(core: Core, workspaceId: string, params: Record<string, unknown>) {
  const run = testRunContext(core, { workspaceId, now: () => new Date(2026, 10, 28) });
  cleanups.push(() => run.close());
  return { result: (await run.run(dataGenerateJob, params)) as DataGenerateResult, run };
}

async function setup() {
  const { core, workspace } = await coreWithProject();
  cleanups.push(() => core.close());
  return { core, workspaceId: workspace.id };
}

describe('data.generate', () => {
  it('writes every format matching its schema and count, with progress', async () => {
    const { core, workspaceId } = await setup();
    const folder = newFolder();
    const count = 12_345;
    const read = {
      csv: (path: string) => parseCsvRows(readFileSync(path, 'utf8')),
      json: (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Row[],
      ndjson: (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Row),
      parquet: async (path: string) => (await parquetReadObjects({ file: await asyncBufferFromFile(path) })) as Row[],
    };
    for (const format of ['csv', 'json', 'ndjson', 'parquet'] as const) {
      const { result, run } = await generate(core, workspaceId, { fields, rows: count, format, seed: 7, folder });
      expect(result).toMatchObject({ path: join(folder, `groundwork-data-2026-11-28.${format}`), rows: count, seed: 7 });
      expect(readFileSync(result.path).length).toBe(result.bytes);
      expectSchema(await read[format](result.path), count);
      expect(run.progress.at(-1)).toMatchObject({ done: count, total: count });
      expect(run.progress.length).toBeGreaterThan(3);
    }
    // Same seed: the same values whatever the format.
    const csv = read.csv(join(folder, 'groundwork-data-2026-11-28.csv'));
    const parquet = await read.parquet(join(folder, 'groundwork-data-2026-11-28.parquet'));
    expect(parquet[100]!.email).toBe(csv[100]!.email);
    expect((parquet[100]!.signedUp as Date).toISOString()).toBe(csv[100]!.signedUp);
    expect(readdirSync(folder).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('gives identical output for the same seed (also run at once) and other rows for another seed', async () => {
    const { core, workspaceId } = await setup();
    const [a, b, c] = await Promise.all(
      [1, 1, 2].map((seed, i) => generate(core, workspaceId, { fields, rows: 20_000, format: 'parquet', seed, folder: newFolder(), fileName: `run-${i}` })),
    );
    const bytes = (r: DataGenerateResult) => readFileSync(r.path);
    expect(bytes(a!.result).equals(bytes(b!.result))).toBe(true);
    expect(bytes(a!.result).equals(bytes(c!.result))).toBe(false);
    const first = (await parquetReadObjects({ file: await asyncBufferFromFile(a!.result.path), rowEnd: 5 })) as Row[];
    const other = (await parquetReadObjects({ file: await asyncBufferFromFile(c!.result.path), rowEnd: 5 })) as Row[];
    expect(first.map((r) => r.email)).not.toEqual(other.map((r) => r.email));
  });

  it('previews the first rows the run writes', async () => {
    const { core, workspaceId } = await setup();
    const folder = newFolder();
    const params = dataGenerateJob.params.parse({ fields, rows: 1000, format: 'ndjson', seed: 42, folder });
    const preview = (await dataGenerateJob.preview!(params)) as { fields: string[]; rows: Row[] };
    expect(preview.fields).toEqual(fields.map((f) => f.name));
    const { result } = await generate(core, workspaceId, { fields, rows: 1000, format: 'ndjson', seed: 42, folder });
    const written = readFileSync(result.path, 'utf8').split('\n').slice(0, 10).map((l) => JSON.parse(l));
    expect(preview.rows).toEqual(written);
    expect(JSON.parse(JSON.stringify(preview))).toEqual(preview); // JSON-safe for the RPC
  });

  it('refuses bad schemas naming the field, and a missing folder naming folder', async () => {
    const { core, workspaceId } = await setup();
    const folder = newFolder();
    const bad = (fieldsIn: unknown[]) => dataGenerateJob.params.safeParse({ fields: fieldsIn, rows: 10, folder });
    const issue = (fieldsIn: unknown[]) => {
      const parsed = bad(fieldsIn);
      expect(parsed.success).toBe(false);
      return parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issue([{ name: 'a', kind: 'integer', min: 5, max: 1 }])).toEqual(['fields.0.max: must not be less than min']);
    expect(issue([{ name: 'a', kind: 'uuid' }, { name: 'a', kind: 'email' }])).toEqual(['fields.1.name: a is used by another field']);
    expect(issue([{ name: 'a', kind: 'date', from: '2025-02-01', to: '2025-01-01' }])).toEqual(['fields.0.to: must not be before from']);
    expect(issue([{ name: 'a', kind: 'enum', values: [] }])[0]).toMatch(/^fields\.0\.values: /);
    expect(issue([{ name: '../x', kind: 'uuid' }])[0]).toMatch(/^fields\.0\.name: must be a column name/);
    expect(dataGenerateJob.params.safeParse({ fields, rows: 10, folder, fileName: '../escape' }).error!.issues[0]!.path).toEqual(['fileName']);
    const run = testRunContext(core, { workspaceId });
    cleanups.push(() => run.close());
    await expect(run.run(dataGenerateJob, { fields, rows: 10, folder: join(folder, 'missing') })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'folder' } });
  });

  it('stops when cancelled and leaves no file behind', async () => {
    const { core, workspaceId } = await setup();
    const folder = newFolder();
    const run = testRunContext(core, { workspaceId });
    cleanups.push(() => run.close());
    const controller = new AbortController();
    const watcher = setInterval(() => {
      if (run.progress.some((p) => p.done >= 20_000)) controller.abort(new Error('cancelled by test'));
    }, 0);
    cleanups.push(() => clearInterval(watcher));
    await expect(run.run(dataGenerateJob, { fields, rows: 1_000_000, format: 'parquet', folder }, controller.signal)).rejects.toThrow('cancelled by test');
    expect(run.progress.at(-1)!.done).toBeLessThan(1_000_000);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('generates a million rows within a fixed memory bound (never all rows at once)', async () => {
    const { core, workspaceId } = await setup();
    for (const format of ['parquet', 'ndjson'] as const) {
      const folder = newFolder();
      // Live heap, not garbage waiting for a collection: samples are taken right after a full GC.
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      gc();
      const start = process.memoryUsage();
      let peakHeap = start.heapUsed;
      let peakRss = start.rss;
      const sampler = setInterval(() => {
        gc();
        const now = process.memoryUsage();
        peakHeap = Math.max(peakHeap, now.heapUsed);
        peakRss = Math.max(peakRss, now.rss);
      }, 250);
      cleanups.push(() => clearInterval(sampler));
      const small = [fields[0]!, fields[1]!, fields[3]!, fields[5]!, fields[7]!, fields[8]!];
      const { result } = await generate(core, workspaceId, { fields: small, rows: 1_000_000, format, folder });
      clearInterval(sampler);
      expect(result.rows).toBe(1_000_000);
      // A million rows held at once would be ~300+ MB of objects; one batch or row group is a few MB.
      const mb = (n: number) => n / 1024 / 1024;
      console.log(`${format}: ${mb(result.bytes).toFixed(0)} MB written, heap +${mb(peakHeap - start.heapUsed).toFixed(0)} MB, rss +${mb(peakRss - start.rss).toFixed(0)} MB`);
      expect(mb(peakHeap - start.heapUsed)).toBeLessThan(150);
      // RSS also holds heap V8 reserved and has not returned yet: a looser bound, still far below all rows.
      expect(mb(peakRss - start.rss)).toBeLessThan(300);
      if (format === 'parquet') {
        const rows = await parquetReadObjects({ file: await asyncBufferFromFile(result.path), rowStart: 999_990, rowEnd: 1_000_000 });
        expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 10 }, (_, i) => 999_991 + i));
      }
    }
  }, 240_000);
});
