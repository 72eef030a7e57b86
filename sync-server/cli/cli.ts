/**
 * The relay's command line: serve (the default) and the admin subcommands. Every subcommand
 * takes the same storage options as the server (--data-dir / --database-url, RELAY_SECRET) to
 * find the relay's state and secret. Bad arguments: one line on stderr and exit code 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AdminError } from '../auth/relay-admin';
import { isRole, parseDuration, ROLES } from '../auth/tokens';
import { type RelayHandle, startRelay } from '../relay/relay-server';
import { openAdminAccess, type StorageArgs, UsageError } from './admin-access';

export const USAGE = `usage:
  relay [serve] [--port P] [--host 127.0.0.1] (--data-dir DIR | --database-url postgres://…) [--public-url ws://…]
                [--max-message-bytes N] [--rate-limit MSGS_PER_SECOND] [--log-level info]
  relay workspace create --name NAME [--id ID] [--json]   (+ storage options)
  relay token --workspace ID --role owner|admin|member|viewer [--name N] [--expires 30d] [--json]
  relay revoke TOKEN_ID
environment: DATABASE_URL, RELAY_SECRET (≥ 32 chars; else generated into the data dir), RELAY_LOG_LEVEL`;

const storageOptions = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'public-url': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/** The result of a command: an exit code, or a serving relay (which runs until closed). */
export type CliResult = { exitCode: number } | { relay: RelayHandle };

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<CliResult> {
  try {
    return await dispatch(argv, env, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`relay: ${(error as Error).message} (relay --help for usage)`);
      return { exitCode: 2 };
    }
    io.stderr(`relay: ${error instanceof AdminError || error instanceof Error ? error.message : String(error)}`);
    return { exitCode: 1 };
  }
}

async function dispatch(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<CliResult> {
  const [command, ...rest] = argv;
  if (command === undefined || command.startsWith('-') || command === 'serve') return serve(command === 'serve' ? rest : argv, env, io);
  if (command === 'workspace') {
    const [sub, ...args] = rest;
    if (sub !== 'create') throw new UsageError(`unknown workspace command "${sub ?? ''}": use workspace create --name NAME`);
    const { values } = parseArgs({ args, options: { ...storageOptions, name: { type: 'string' }, id: { type: 'string' } }, allowPositionals: false });
    if (values.help) return help(io);
    if (!values.name) throw new UsageError('workspace create needs --name NAME');
    return withAdmin(values, env, async (admin) => {
      const created = await admin.createWorkspace({ name: values.name!, ...(values.id ? { id: values.id } : {}) });
      if (values.json) io.stdout(JSON.stringify(created));
      else {
        io.stdout(`workspace ${created.workspace.id} (${created.workspace.name}); owner token id ${created.jti}`);
        io.stdout(created.invite);
      }
    });
  }
  if (command === 'token') {
    const { values } = parseArgs({
      args: rest,
      options: { ...storageOptions, workspace: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, expires: { type: 'string' } },
      allowPositionals: false,
    });
    if (values.help) return help(io);
    if (!values.workspace) throw new UsageError('token needs --workspace ID');
    if (!isRole(values.role)) throw new UsageError(`token needs --role ${ROLES.join('|')}${values.role ? ` (got "${values.role}")` : ''}`);
    if (values.expires !== undefined) wrapUsage(() => parseDuration(values.expires!));
    const role = values.role;
    return withAdmin(values, env, async (admin) => {
      const issued = await admin.issueToken({
        workspace: values.workspace!,
        role,
        ...(values.name ? { name: values.name } : {}),
        ...(values.expires ? { expires: values.expires } : {}),
      });
      if (values.json) io.stdout(JSON.stringify(issued));
      else {
        io.stdout(`token id ${issued.jti} (${role} of ${values.workspace})`);
        io.stdout(issued.invite);
      }
    });
  }
  if (command === 'revoke') {
    const { values, positionals } = parseArgs({ args: rest, options: storageOptions, allowPositionals: true });
    if (values.help) return help(io);
    if (positionals.length !== 1) throw new UsageError('revoke needs exactly one TOKEN_ID');
    return withAdmin(values, env, async (admin) => {
      await admin.revokeToken(positionals[0]!);
      io.stdout(values.json ? JSON.stringify({ jti: positionals[0], revoked: true }) : `revoked ${positionals[0]}`);
    });
  }
  if (command === 'help' || command === '--help') return help(io);
  throw new UsageError(`unknown command "${command}"`);
}

async function serve(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<CliResult> {
  const { values } = parseArgs({
    args,
    options: {
      ...storageOptions,
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'max-message-bytes': { type: 'string' },
      'rate-limit': { type: 'string' },
      'log-level': { type: 'string' },
    },
    allowPositionals: false,
  });
  if (values.help) return help(io);
  const storage = storageArgs(values, env);
  if (!storage.dataDir && !storage.databaseUrl) throw new UsageError('no storage given: pass --data-dir DIR (embedded PGlite) or --database-url postgres://… (or set DATABASE_URL)');
  const port = integer('--port', values.port ?? '1234', 0, 65_535);
  const rate = values['rate-limit'] === undefined ? undefined : integer('--rate-limit', values['rate-limit'], 1, 1_000_000);
  const level = values['log-level'] ?? env.RELAY_LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) throw new UsageError(`unknown --log-level "${level}"`);
  const relay = await startRelay({
    ...storage,
    port,
    host: values.host ?? '127.0.0.1',
    logger: level as 'info',
    processMetrics: true,
    ...(values['max-message-bytes'] ? { maxMessageBytes: integer('--max-message-bytes', values['max-message-bytes'], 1024, 2 ** 31 - 1) } : {}),
    ...(rate ? { rateLimit: { messagesPerSecond: rate, burst: rate * 4 } } : {}),
  });
  io.stdout(`Groundwork relay: ${relay.url}`);
  return { relay };
}

function storageArgs(values: { 'data-dir'?: string; 'database-url'?: string; 'public-url'?: string }, env: NodeJS.ProcessEnv): StorageArgs {
  const databaseUrl = values['database-url'] ?? (env.DATABASE_URL || undefined);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UsageError(`--database-url must be a postgres:// URL (got "${databaseUrl}")`);
  const publicUrl = values['public-url'] ?? (env.RELAY_PUBLIC_URL || undefined);
  if (publicUrl && !/^wss?:\/\//.test(publicUrl)) throw new UsageError(`--public-url must be a ws:// or wss:// URL (got "${publicUrl}")`);
  return {
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(env.RELAY_SECRET ? { secret: env.RELAY_SECRET } : {}),
    ...(publicUrl ? { publicUrl } : {}),
  };
}

async function withAdmin(
  values: { 'data-dir'?: string; 'database-url'?: string; 'public-url'?: string },
  env: NodeJS.ProcessEnv,
  run: (admin: Awaited<ReturnType<typeof openAdminAccess>>) => Promise<void>,
): Promise<CliResult> {
  const admin = await openAdminAccess(storageArgs(values, env));
  try {
    await run(admin);
  } finally {
    await admin.close();
  }
  return { exitCode: 0 };
}

function help(io: CliIo): CliResult {
  io.stdout(USAGE);
  return { exitCode: 0 };
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max} (got "${text}")`);
  return n;
}

function wrapUsage(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    throw new UsageError(`--expires: ${(error as Error).message}`);
  }
}
