/**
 * Results of types without a view of their own (as JSON), and of http.check, report.export, backup
 * and data.generate. Each view reads the result defensively (a teammate's newer build may add or
 * rename fields) and falls back to JSON when it does not look like its type's result.
 */
import type { ReactNode } from 'react';
import { plural } from '../../components/format';

export function JsonResult({ result }: { result: unknown }) {
  return (
    <section className="json-result" aria-label="Result">
      <h4>Result</h4>
      <pre className="code-block" tabIndex={0}>
        {JSON.stringify(result, null, 2)}
      </pre>
    </section>
  );
}

interface HttpCheckResultData {
  up?: unknown;
  consecutiveMisses?: unknown;
  status?: unknown;
  latencyMs?: unknown;
  url?: unknown;
  error?: unknown;
}

/** An uptime check: up or down, the status it answered and how fast; anything else as JSON. */
export function HttpCheckResult({ result }: { result: unknown }) {
  const r = (result ?? {}) as HttpCheckResultData;
  if (typeof r !== 'object' || (r.up === undefined && r.status === undefined)) return <JsonResult result={result} />;
  return (
    <section className="http-check-result" aria-label="Result">
      <h4>Result</h4>
      <dl className="job-facts">
        {r.up !== undefined && (
          <div>
            <dt>Check</dt>
            <dd>
              <span className={`job-status job-status-${r.up ? 'succeeded' : 'failed'}`}>{r.up ? 'Up' : 'Down'}</span>
              {typeof r.consecutiveMisses === 'number' && r.consecutiveMisses > 0 && <span className="hint"> · {r.consecutiveMisses} missed in a row</span>}
            </dd>
          </div>
        )}
        {r.status !== undefined && (
          <div>
            <dt>Status</dt>
            <dd>{String(r.status)}</dd>
          </div>
        )}
        {typeof r.latencyMs === 'number' && (
          <div>
            <dt>Latency</dt>
            <dd>{Math.round(r.latencyMs)} ms</dd>
          </div>
        )}
        {typeof r.error === 'string' && (
          <div>
            <dt>Problem</dt>
            <dd>{r.error}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

/** 1536 → "1.5 KiB" (binary units, as file managers on every platform can show them). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? plural(bytes, 'byte') : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

function Facts({ label, children }: { label: string; children: ReactNode }) {
  return (
    <section className="file-result" aria-label="Result">
      <h4>{label}</h4>
      <dl className="job-facts">{children}</dl>
    </section>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

interface WrittenFile {
  path: string;
  bytes: number;
  rows: number;
}

/** report.export: each file written (path, size, rows), and how many projects and tasks. */
export function ReportExportResult({ result }: { result: unknown }) {
  const r = (result ?? {}) as { files?: unknown; projects?: unknown; tasks?: unknown };
  const files = Array.isArray(r.files) ? (r.files as Partial<WrittenFile>[]).filter((f): f is WrittenFile => typeof f?.path === 'string' && isCount(f.bytes) && isCount(f.rows)) : null;
  if (!files) return <JsonResult result={result} />;
  return (
    <section className="file-result" aria-label="Result">
      <h4>Result</h4>
      {isCount(r.projects) && isCount(r.tasks) && (
        <p>
          Exported {plural(r.projects, 'project')} and {plural(r.tasks, 'task')} into {plural(files.length, 'file')}.
        </p>
      )}
      <div className="table-scroll">
        <table className="execution-table" aria-label="Files written">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Size</th>
              <th scope="col">Rows</th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.path}>
                <td>
                  <code className="file-path">{f.path}</code>
                </td>
                <td>{formatBytes(f.bytes)}</td>
                <td>{f.rows}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** backup: the file written, its size and checksum, and the old backups removed to keep the newest N. */
export function BackupResult({ result }: { result: unknown }) {
  const r = (result ?? {}) as { path?: unknown; bytes?: unknown; sha256?: unknown; pruned?: unknown; kept?: unknown };
  if (typeof r.path !== 'string' || !isCount(r.bytes)) return <JsonResult result={result} />;
  const pruned = Array.isArray(r.pruned) ? r.pruned.filter((p): p is string => typeof p === 'string') : [];
  return (
    <Facts label="Result">
      <Fact term="Backup">
        <code className="file-path">{r.path}</code>
      </Fact>
      <Fact term="Size">{formatBytes(r.bytes)}</Fact>
      {typeof r.sha256 === 'string' && (
        <Fact term="SHA-256">
          <code className="file-path">{r.sha256}</code>
        </Fact>
      )}
      <Fact term="Removed">
        {pruned.length === 0 ? (
          'No older backups removed'
        ) : (
          <ul className="file-list" aria-label="Removed backups">
            {pruned.map((p) => (
              <li key={p}>
                <code className="file-path">{p}</code>
              </li>
            ))}
          </ul>
        )}
      </Fact>
      {isCount(r.kept) && <Fact term="In the folder">{plural(r.kept, 'backup')}</Fact>}
    </Facts>
  );
}

/** data.generate: the file written, its size, its row count and the seed that makes it again. */
export function DataGenerateResult({ result }: { result: unknown }) {
  const r = (result ?? {}) as { path?: unknown; bytes?: unknown; rows?: unknown; seed?: unknown };
  if (typeof r.path !== 'string' || !isCount(r.bytes) || !isCount(r.rows)) return <JsonResult result={result} />;
  return (
    <Facts label="Result">
      <Fact term="File">
        <code className="file-path">{r.path}</code>
      </Fact>
      <Fact term="Size">{formatBytes(r.bytes)}</Fact>
      <Fact term="Rows">{r.rows.toLocaleString()}</Fact>
      {typeof r.seed === 'number' && <Fact term="Seed">{r.seed}</Fact>}
    </Facts>
  );
}
