/**
 * Vercel answers, SCHEMA-DERIVED (no public recording of Vercel's REST API exists; see README.md
 * here): each body has the fields Vercel's OpenAPI description (vercel/sdk@1aada4a `vercel-spec.json`,
 * 2025-10-27) marks required, plus the ones Groundwork reads, with values in the form of the spec's
 * per-field examples. `sdkSchemas` (below) is the check: every body the loopback server sends is
 * parsed by the matching `@vercel/sdk` 1.28.35 response schema in the test that receives it.
 * Error bodies are Vercel's documented examples (documented-errors.json, copied here).
 */
import { readFileSync } from 'node:fs';
import { CreateDeploymentResponseBody$inboundSchema } from '@vercel/sdk/models/createdeploymentresponsebody.js';
import { GetAuthUserResponseBody$inboundSchema } from '@vercel/sdk/models/getauthuserop.js';
import { GetDeploymentEventsResponseBody$inboundSchema } from '@vercel/sdk/models/getdeploymenteventsop.js';
import { GetDeploymentResponseBody$inboundSchema } from '@vercel/sdk/models/getdeploymentresponsebody.js';
import { GetDeploymentsResponseBody$inboundSchema } from '@vercel/sdk/models/getdeploymentsop.js';
import { GetProjectResponseBody$inboundSchema } from '@vercel/sdk/models/getprojectresponsebody.js';
import { GetProjectsResponseBody$inboundSchema } from '@vercel/sdk/models/getprojectsresponsebody.js';

/** The SDK schema of each answer kind the server sends with a body (promote and rollback answer none). */
export const sdkSchemas = {
  user: GetAuthUserResponseBody$inboundSchema,
  projects: GetProjectsResponseBody$inboundSchema,
  project: GetProjectResponseBody$inboundSchema,
  deployments: GetDeploymentsResponseBody$inboundSchema,
  deployment: GetDeploymentResponseBody$inboundSchema,
  created: CreateDeploymentResponseBody$inboundSchema,
  /** One line of the newline-delimited log (`application/stream+json`) is one event object. */
  event: GetDeploymentEventsResponseBody$inboundSchema,
} as const;
export type BodyKind = keyof typeof sdkSchemas;

interface DocumentedError {
  code: string;
  body: { error: { code: string; message: string } };
}
/** Vercel's documented error bodies by code (forbidden, rate_limited, bad_request, not_found, …). */
export const documentedErrors: Record<string, DocumentedError['body']> = Object.fromEntries(
  (JSON.parse(readFileSync(new URL('./documented-errors.json', import.meta.url), 'utf8')) as { errors: DocumentedError[] }).errors.map((e) => [e.code, e.body]),
);

export const userId = 'zTuNVUXEAvvnNN3IaqinkyMw';

export function userBody() {
  return {
    user: {
      id: userId,
      email: 'ana@example.com',
      name: 'Ana Lima',
      username: 'ana-lima',
      avatar: null,
      defaultTeamId: null,
      createdAt: 1630748523395,
      softBlock: null,
      billing: null,
      resourceConfig: {},
      stagingPrefix: 'ana-lima',
      version: 'northstar',
      limited: false,
    },
  };
}

export interface FakeDeployment {
  id: string;
  projectId: string;
  name: string;
  url: string;
  readyState: 'QUEUED' | 'BUILDING' | 'READY' | 'ERROR' | 'CANCELED';
  target: 'production' | null;
  created: number;
  ready?: number;
  ref: string;
  sha: string;
  message: string;
  errorMessage?: string;
}

export interface FakeProject {
  id: string;
  name: string;
  /** The deployment production serves (`targets.production`). */
  production: FakeDeployment | null;
  /** The git repo it deploys (`link.org`/`link.repo`); acme/site when not said. */
  repo?: { org: string; repo: string };
  /** A rolling release is under way: a promote is queued (202) and production does not change yet. */
  rollingRelease?: boolean;
  /** Vercel's `updatedAt` (epoch ms): the list is newest first by it. */
  updatedAt?: number;
}

const creator = { uid: userId, username: 'ana-lima' };
const meta = (d: FakeDeployment) => ({ githubCommitRef: d.ref, githubCommitSha: d.sha, githubCommitMessage: d.message, githubOrg: 'acme', githubRepo: 'site' });

export function projectBody(project: FakeProject) {
  const production = project.production;
  return {
    accountId: userId,
    directoryListing: false,
    id: project.id,
    name: project.name,
    nodeVersion: '22.x',
    framework: 'nextjs',
    // Required by @vercel/sdk 1.28.35's schema (not by the 2025-10 description): the SDK is newer.
    alias: [],
    deploymentExpiration: { expirationDays: 180, expirationDaysProduction: 365, expirationDaysCanceled: 30, expirationDaysErrored: 30, deploymentsToKeep: 10 },
    resourceConfig: { functionDefaultRegions: ['iad1'] },
    defaultResourceConfig: { functionDefaultRegions: ['iad1'] },
    ...(project.updatedAt ? { updatedAt: project.updatedAt } : {}),
    link: { type: 'github', org: project.repo?.org ?? 'acme', repo: project.repo?.repo ?? 'site', repoId: 123456789, repoOwnerId: 4242, gitCredentialId: 'cred_abc123', productionBranch: 'main', deployHooks: [], createdAt: 1630748523395 },
    targets: production
      ? {
          production: {
            id: production.id,
            createdAt: production.created,
            createdIn: 'sfo1',
            creator,
            deploymentHostname: production.url,
            name: project.name,
            plan: 'pro',
            private: true,
            readyState: production.readyState,
            type: 'LAMBDAS',
            url: production.url,
            userId,
            meta: meta(production),
          },
        }
      : {},
  };
}

/**
 * One page of GET /v10/projects. `next` is the continuation-token form of the description's
 * pagination (`{ count, next }`, "Base32 encoded"; the client sends it back as `from`).
 */
export function projectsBody(page: FakeProject[], next: string | null) {
  return { projects: page.map(projectBody), pagination: { count: page.length, next } };
}

/** RFC 4648 base32 (no padding), the form Vercel's continuation tokens take. */
export function base32(text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...Buffer.from(text, 'utf8')].map((byte) => byte.toString(2).padStart(8, '0')).join('');
  return (bits.match(/.{1,5}/g) ?? []).map((chunk) => alphabet[parseInt(chunk.padEnd(5, '0'), 2)]).join('');
}

/** A deployment as GET /v7/deployments lists it. */
export function listedDeployment(d: FakeDeployment) {
  return {
    uid: d.id,
    name: d.name,
    projectId: d.projectId,
    url: d.url,
    created: d.created,
    createdAt: d.created,
    buildingAt: d.created,
    ...(d.ready ? { ready: d.ready } : {}),
    type: 'LAMBDAS',
    creator,
    inspectorUrl: `https://vercel.com/acme/${d.name}/${d.id.replace(/^dpl_/, '')}`,
    state: d.readyState,
    readyState: d.readyState,
    target: d.target,
    source: 'git',
    meta: meta(d),
    ...(d.errorMessage ? { errorCode: 'BUILD_FAILED', errorMessage: d.errorMessage } : {}),
  };
}

export function deploymentsBody(list: FakeDeployment[]) {
  return { pagination: { count: list.length, next: null, prev: null }, deployments: list.map(listedDeployment) };
}

/** A deployment as GET /v13/deployments/{id} and POST /v13/deployments answer it. */
export function deploymentBody(d: FakeDeployment) {
  return {
    id: d.id,
    name: d.name,
    url: d.url,
    projectId: d.projectId,
    readyState: d.readyState,
    createdAt: d.created,
    buildingAt: d.created,
    ...(d.ready ? { ready: d.ready } : {}),
    target: d.target,
    type: 'LAMBDAS',
    version: 2,
    public: false,
    status: d.readyState,
    regions: ['iad1'],
    source: 'git',
    creator,
    meta: meta(d),
    gitSource: { type: 'github', repoId: 123456789, ref: d.ref, sha: d.sha },
    inspectorUrl: `https://vercel.com/acme/${d.name}/${d.id.replace(/^dpl_/, '')}`,
    alias: [],
    aliasAssigned: d.readyState === 'READY',
    ...(d.errorMessage ? { errorCode: 'BUILD_FAILED', errorMessage: d.errorMessage } : {}),
  };
}

/** One build log line (the stream's object per line). */
export function eventBody(deploymentId: string, serial: number, created: number, type: 'command' | 'stdout' | 'stderr' | 'exit' | 'delimiter', text: string) {
  return { type, created, payload: { deploymentId, id: `${deploymentId}-${serial}`, date: created, serial: String(serial).padStart(10, '0'), text } };
}
