/**
 * A JobRunContext for tests that run a job type directly (its own behaviour, without the
 * scheduler): a real core's replica, a real temp folder for files, the plain-Node main, and the
 * log and progress it received, to assert on.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../core';
import { nodeMain, type NodeMainParts } from '../../main/main-client';
import type { JobLogLevel, JobProgress, JobRunContext, JobType } from '../job-type';

export interface TestRun {
  ctx: JobRunContext;
  logs: { level: JobLogLevel; message: string }[];
  progress: JobProgress[];
  /** Runs `type` with params parsed by its own schema (as the scheduler does) and checks the result against its result schema. */
  run(type: JobType, params: unknown, signal?: AbortSignal): Promise<unknown>;
  close(): void;
}

export interface TestRunOptions {
  workspaceId: string;
  projectId?: string | null;
  /** Where the execution's files go (a temp dir); null as in a memory-only core. */
  filesDir?: string | null;
  previousResult?: unknown;
  main?: NodeMainParts;
  now?: () => Date;
}

export function testRunContext(core: Core, options: TestRunOptions): TestRun {
  const main = nodeMain(options.main);
  const logs: TestRun['logs'] = [];
  const progress: JobProgress[] = [];
  const ctx: JobRunContext = {
    // A job of its own that has no executions (types that read their job's history find none).
    jobId: randomUUID(),
    executionId: 'test-execution',
    workspaceId: options.workspaceId,
    projectId: options.projectId ?? null,
    db: core.internals.db,
    async filesDir() {
      if (!options.filesDir) return null;
      const dir = join(options.filesDir, 'test-execution');
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    now: options.now ?? (() => new Date()),
    fetch: globalThis.fetch,
    main: main.client,
    log: (level, message) => logs.push({ level, message }),
    previousResult: options.previousResult ?? null,
  };
  return {
    ctx,
    logs,
    progress,
    async run(type, params, signal = new AbortController().signal) {
      const result = await type.run(ctx, type.params.parse(params), signal, (p) => progress.push(p));
      return type.result.parse(result);
    },
    close: () => main.close(),
  };
}
