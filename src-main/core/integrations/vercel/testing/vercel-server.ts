/**
 * A small Vercel on 127.0.0.1 for tests: projects, deployments that build when the test says so,
 * their build logs, promote and rollback, and knobs for failures (a refused token, a team the
 * token cannot see, 429 with `x-ratelimit-reset`). Every body it sends is schema-derived
 * (vercel-fixtures.ts) and recorded with its kind, so the test can check each one against the
 * `@vercel/sdk` response schemas (`validateAll`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  base32,
  deploymentBody,
  deploymentsBody,
  documentedErrors,
  eventBody,
  projectBody,
  projectsBody,
  sdkSchemas,
  userBody,
  type BodyKind,
  type FakeDeployment,
  type FakeProject,
} from './vercel-fixtures';

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string | undefined;
}

export interface VercelServer {
  baseUrl: string;
  token: string;
  /** Every token it accepts (the first is `token`; add a teammate's). */
  tokens: Set<string>;
  projects: Map<string, FakeProject>;
  deployments: FakeDeployment[];
  logs: Map<string, ReturnType<typeof eventBody>[]>;
  requests: Request[];
  /** Bodies sent, with their kind (for the SDK schema check). */
  sent: { kind: BodyKind; body: unknown }[];
  /** The next N requests answer 429 with `x-ratelimit-reset` = this epoch second. */
  rateLimit(times: number, resetEpochSeconds: number): void;
  /** Teams the token may act for. */
  teams: Set<string>;
  /** Continuation tokens of GET /v10/projects handed out, to the offset each continues at. */
  pageTokens: Map<string, number>;
  addDeployment(d: Omit<FakeDeployment, 'name' | 'url'> & { url?: string }): FakeDeployment;
  /** Appends build log lines to a deployment. */
  log(id: string, lines: [type: 'command' | 'stdout' | 'stderr' | 'exit', text: string][], at: number): void;
  /** Every sent body parsed by its SDK schema: the failures (empty when all are Vercel's shapes). */
  validateAll(): string[];
  close(): Promise<void>;
}

/** `clock`: when a deployment made through it was created (a test's fake time); default the wall clock. */
export async function startVercelServer(options: { token: string; clock?: () => number }): Promise<VercelServer> {
  let limited = 0;
  let resetAt = 0;
  let serial = 0;
  const state: Omit<VercelServer, 'baseUrl' | 'close'> = {
    token: options.token,
    tokens: new Set([options.token]),
    projects: new Map(),
    deployments: [],
    logs: new Map(),
    requests: [],
    sent: [],
    teams: new Set(),
    pageTokens: new Map(),
    rateLimit(times, reset) {
      limited = times;
      resetAt = reset;
    },
    addDeployment(d) {
      const project = state.projects.get(d.projectId)!;
      const deployment: FakeDeployment = { ...d, name: project.name, url: d.url ?? `${project.name}-${d.id.slice(4, 12).toLowerCase()}-acme.vercel.app` };
      state.deployments.unshift(deployment);
      return deployment;
    },
    log(id, lines, at) {
      const list = state.logs.get(id) ?? [];
      for (const [type, text] of lines) list.push(eventBody(id, ++serial, at, type, text));
      state.logs.set(id, list);
    },
    validateAll() {
      const failures: string[] = [];
      for (const { kind, body } of state.sent) {
        const result = sdkSchemas[kind].safeParse(body);
        if (!result.success) failures.push(`${kind}: ${JSON.stringify(result.error.issues.slice(0, 3))}`);
      }
      return failures;
    },
  };

  const send = (res: ServerResponse, status: number, body?: unknown, kind?: BodyKind, headers: Record<string, string> = {}) => {
    if (kind) state.sent.push({ kind, body });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string, message?: string, headers: Record<string, string> = {}) => {
    const documented = documentedErrors[code]!;
    send(res, status, message ? { error: { ...documented.error, message } } : documented, undefined, headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const request: Request = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: text ? JSON.parse(text) : null, authorization: req.headers.authorization };
    state.requests.push(request);
    if (limited > 0) {
      limited--;
      // Vercel's documented rate_limited body, with the reset in the header the client reads.
      const body = { error: { ...documentedErrors.rate_limited!.error, limit: { remaining: 0, reset: resetAt, resetMs: resetAt * 1000, total: 100 } } };
      return send(res, 429, body, undefined, { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt) });
    }
    if (!state.tokens.has(request.authorization?.replace(/^Bearer /, '') ?? '')) return fail(res, 403, 'forbidden', 'Not authorized');
    const team = url.searchParams.get('teamId');
    if (team && !state.teams.has(team)) return fail(res, 403, 'forbidden', 'You don\'t have permission to access this team');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [version, noun, id, action, target] = parts;
    if (request.method === 'GET' && url.pathname === '/v2/user') return send(res, 200, userBody(), 'user');
    if (request.method === 'GET' && version === 'v10' && noun === 'projects' && !id) {
      // Newest first, `limit` a page (Vercel's cap 100), the rest behind a continuation token in `from`.
      const all = [...state.projects.values()].sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0));
      const from = url.searchParams.get('from');
      const offset = from ? state.pageTokens.get(from) : 0;
      if (offset === undefined) return fail(res, 400, 'bad_request', `Invalid continuation token: ${from}`);
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 20) || 20, 100);
      const end = offset + limit;
      let next: string | null = null;
      if (end < all.length) {
        next = base32(`projects:${end}`);
        state.pageTokens.set(next, end);
      }
      return send(res, 200, projectsBody(all.slice(offset, end), next), 'projects');
    }
    if (request.method === 'GET' && version === 'v9' && noun === 'projects' && id) {
      const project = state.projects.get(id);
      return project ? send(res, 200, projectBody(project), 'project') : fail(res, 404, 'not_found', `Project not found: ${id}`);
    }
    if (request.method === 'GET' && version === 'v7' && noun === 'deployments' && !id) {
      const projectId = url.searchParams.get('projectId');
      if (projectId && !state.projects.has(projectId)) return fail(res, 404, 'not_found', `Project not found: ${projectId}`);
      const wanted = url.searchParams.get('target');
      const list = state.deployments.filter((d) => (!projectId || d.projectId === projectId) && (!wanted || (d.target ?? 'preview') === wanted));
      return send(res, 200, deploymentsBody(list), 'deployments');
    }
    if (version === 'v13' && noun === 'deployments') {
      if (request.method === 'GET' && id) {
        const d = state.deployments.find((x) => x.id === id);
        return d ? send(res, 200, deploymentBody(d), 'deployment') : fail(res, 404, 'not_found', `Deployment not found: ${id}`);
      }
      if (request.method === 'POST' && !id) {
        const body = request.body as { project: string; gitSource: { ref: string; sha?: string } };
        const project = state.projects.get(body.project);
        if (!project) return fail(res, 404, 'not_found', `Project not found: ${body.project}`);
        const ref = body.gitSource.ref;
        const d = state.addDeployment({
          id: `dpl_${(++serial).toString(36).padStart(8, '0')}New`,
          projectId: project.id,
          readyState: 'BUILDING',
          target: ref === 'main' ? 'production' : null,
          created: (options.clock ?? Date.now)(),
          ref,
          sha: body.gitSource.sha ?? 'f'.repeat(40),
          message: `Deploy ${ref}`,
        });
        return send(res, 200, deploymentBody(d), 'created');
      }
    }
    if (request.method === 'GET' && version === 'v3' && noun === 'deployments' && action === 'events') {
      if (!state.deployments.some((d) => d.id === id)) return fail(res, 404, 'not_found', `Deployment not found: ${id}`);
      const since = Number(url.searchParams.get('since') ?? 0);
      const lines = (state.logs.get(id!) ?? []).filter((e) => e.created >= since);
      state.sent.push(...lines.map((body) => ({ kind: 'event' as const, body })));
      res.writeHead(200, { 'content-type': 'application/stream+json' });
      return res.end(lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : ''));
    }
    if (request.method === 'POST' && noun === 'projects' && (action === 'promote' || action === 'rollback') && ((action === 'promote' && version === 'v10') || (action === 'rollback' && version === 'v1'))) {
      const project = state.projects.get(id!);
      const d = state.deployments.find((x) => x.id === target && x.projectId === id);
      if (!project || !d) return fail(res, 404, 'not_found', `Deployment not found: ${target}`);
      // A rolling release under way: the promote waits behind it (202), production unchanged.
      if (action === 'promote' && project.rollingRelease) {
        res.writeHead(202);
        return res.end();
      }
      project.production = d;
      if (action === 'promote') d.target = 'production';
      res.writeHead(201);
      return res.end();
    }
    fail(res, 405, 'method_unknown', `This endpoint only responds to GET (${request.method} ${url.pathname})`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => fail(res, 500, 'internal_server_error', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...state,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
