/**
 * The CLI as users run it (a child process): workspace create → an invite whose token verifies,
 * token, revoke (offline on the data dir, and through a running relay, which then closes the
 * revoked token's connection), and one-line usage errors with exit code 2.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dataDirSecret } from '../auth/secret';
import { parseInvite, verifyToken } from '../auth/tokens';
import { cleanup, connectClient, synced, tempDir, waitFor } from '../testing/relay-fixtures';
import { kill9, type RelayProcess, runRelayCli, spawnRelay } from '../testing/relay-process';

const running: RelayProcess[] = [];
afterAll(async () => {
  await cleanup();
  await Promise.all(running.map(kill9));
});

describe('relay CLI', () => {
  it('creates a workspace with an owner invite, issues and revokes tokens on a stopped relay', async () => {
    const dataDir = tempDir();
    const created = await runRelayCli(['workspace', 'create', '--name', 'Acme', '--data-dir', dataDir, '--public-url', 'ws://relay.example:1234']);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const [summary, invite] = created.stdout.trim().split('\n') as [string, string];
    expect(summary).toMatch(/^workspace \S+ \(Acme\); owner token id \S+$/);
    const { relay, token } = parseInvite(invite);
    expect(relay).toBe('ws://relay.example:1234');
    const owner = await verifyToken(dataDirSecret(dataDir), token);
    expect(owner.role).toBe('owner');

    const issued = await runRelayCli(['token', '--workspace', owner.workspace, '--role', 'viewer', '--name', 'Val', '--expires', '30d', '--json', '--data-dir', dataDir, '--public-url', 'ws://relay.example:1234']);
    expect(issued.code).toBe(0);
    const { jti, token: viewerToken } = JSON.parse(issued.stdout) as { jti: string; token: string };
    const viewer = await verifyToken(dataDirSecret(dataDir), viewerToken);
    expect(viewer).toMatchObject({ workspace: owner.workspace, role: 'viewer', jti, name: 'Val' });
    expect(viewer.exp! - Date.now() / 1000).toBeGreaterThan(29 * 86_400);

    expect(await runRelayCli(['revoke', jti, '--data-dir', dataDir])).toMatchObject({ code: 0, stdout: `revoked ${jti}\n` });
    expect(await runRelayCli(['revoke', 'no-such-id', '--data-dir', dataDir])).toMatchObject({ code: 1, stderr: 'relay: no token with id no-such-id\n' });
    expect(await runRelayCli(['token', '--workspace', 'nope', '--role', 'member', '--data-dir', dataDir, '--public-url', 'ws://relay.example:1234'])).toMatchObject({ code: 1 });
  });

  it('rejects bad arguments with one line and exit code 2', async () => {
    const results = await Promise.all([
      runRelayCli(['--port', 'abc', '--data-dir', 'x']),
      runRelayCli(['--port', '1']),
      runRelayCli(['token', '--workspace', 'w', '--role', 'boss', '--data-dir', 'x']),
      runRelayCli(['token', '--workspace', 'w', '--role', 'member', '--expires', 'soon', '--data-dir', 'x']),
      runRelayCli(['token', '--workspace', 'w', '--role', 'member', '--expires', '99999999999999999999d', '--data-dir', tempDir()]),
      runRelayCli(['frobnicate']),
      runRelayCli(['--bogus']),
    ]);
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^relay: /);
    }
    expect(results[0]!.stderr).toContain('--port must be an integer');
    expect(results[1]!.stderr).toContain('no storage given');
    expect(results[2]!.stderr).toContain('--role owner|admin|member|viewer (got "boss")');
    expect(results[3]!.stderr).toContain('invalid duration "soon"');
    expect(results[4]!.stderr).toContain('invalid duration "99999999999999999999d": at most 10 years');
  });

  it('sends commands to a running relay, whose revocation closes the open connection', async () => {
    const dataDir = tempDir();
    const relay = await spawnRelay(['--port', '0', '--data-dir', dataDir]);
    running.push(relay);
    const created = await runRelayCli(['workspace', 'create', '--name', 'Live', '--json', '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    const { workspace, invite } = JSON.parse(created.stdout) as { workspace: { id: string }; invite: string };
    expect(parseInvite(invite).relay).toBe(relay.url);
    const issued = JSON.parse((await runRelayCli(['token', '--workspace', workspace.id, '--role', 'member', '--json', '--data-dir', dataDir])).stdout) as { token: string; jti: string };
    const client = connectClient(relay.url, `${workspace.id}/doc`, issued.token);
    await synced(client);
    expect((await runRelayCli(['revoke', issued.jti, '--data-dir', dataDir])).code).toBe(0);
    await waitFor('the revoked connection to close', () => client.closes.length > 0, 2000);
    expect(client.closes[0]!.code).toBe(4001);
  });
});
