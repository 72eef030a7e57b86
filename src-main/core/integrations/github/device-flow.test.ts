/**
 * The OAuth device flow through a real core against GitHub's documented answers, served as a
 * GitHub Enterprise server on loopback (no real recording exists: testing/fixtures/README.md):
 * the OAuth endpoints are found on the web host, the verification page is opened through main,
 * and polling goes pending → slow_down → connected, or ends expired or denied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../core';
import { nodeMain, type NodeMain } from '../../main/main-client';
import { deviceCodeExchange, gheUser, pollError, pollSuccess } from './testing/device-flow-scenario';
import { startReplayServer, type ReplayServer } from './testing/octokit-replay-server';

let replay: ReplayServer;
let core: Core;
let main: NodeMain;
const opened: string[] = [];

beforeAll(async () => {
  replay = await startReplayServer({
    'device-flow-success': [deviceCodeExchange('Iv1.fromPreference'), pollError('authorization_pending'), pollError('slow_down', { interval: 10 }), pollSuccess(), gheUser()],
    'device-flow-expired': [deviceCodeExchange('Iv1.fromParam'), pollError('slow_down'), pollError('expired_token')],
    'device-flow-denied': [deviceCodeExchange('Iv1.fromPort'), pollError('access_denied')],
    'device-flow-disabled': [{ ...pollError('device_flow_disabled'), path: '/login/device/code' }],
  });
  main = nodeMain({ openExternal: (url) => opened.push(url) });
  core = await createCore({ dataDir: null, main: main.client, github: { retries: false, clientId: 'Iv1.fromPort' } });
});

afterAll(async () => {
  await core?.close();
  main?.close();
  await replay?.close();
});

/** The API address of a loaded scenario: the GHE server's `/api/v3` under the replay URL. */
const gheApi = async (scenario: string) => `${await replay.load(scenario)}/api/v3`;

describe('github device flow', () => {
  it('polling before a flow was started is CONFLICT', async () => {
    await expect(core.api.github.pollDeviceFlow()).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('pending → slow_down (+5 s) → connected: the token is stored and the account shown; two polls at once share one request', async () => {
    await core.api.preferences.set({ key: 'github-client-id', value: 'Iv1.fromPreference' });
    const baseUrl = await gheApi('device-flow-success');
    const start = await core.api.github.startDeviceFlow({ baseUrl });
    const web = baseUrl.replace(/\/api\/v3$/, '');
    expect(start).toEqual({ userCode: 'WDJB-MJHT', verificationUri: `${web}/login/device`, interval: 5, expiresIn: 900 });
    await expect.poll(() => opened).toContain(`${web}/login/device`);

    // Two polls at once would be one too many for GitHub: they get one answer (a second request would find no recording).
    const [first, again] = await Promise.all([core.api.github.pollDeviceFlow(), core.api.github.pollDeviceFlow()]);
    expect(first).toEqual({ state: 'authorization_pending', interval: 5, message: expect.any(String) });
    expect(again).toEqual(first);
    expect(await core.api.github.pollDeviceFlow()).toEqual({ state: 'slow_down', interval: 10, message: expect.stringContaining('every 10 seconds') });
    const done = await core.api.github.pollDeviceFlow();
    expect(done).toEqual({
      state: 'connected',
      account: { login: 'EnricoMi', scopes: [], rateLimit: { remaining: 4997, resetAt: '2023-06-07T19:50:45.000Z' }, baseUrl },
    });
    expect(await core.api.github.account()).toMatchObject({ login: 'EnricoMi', baseUrl });
    // The flow is over.
    await expect(core.api.github.pollDeviceFlow()).rejects.toMatchObject({ code: 'CONFLICT' });
    await core.api.github.disconnect();
    await core.api.preferences.set({ key: 'github-client-id', value: null });
  });

  it('slow_down without a new interval adds 5 s; an expired code ends the flow (client id from the input)', async () => {
    await core.api.github.startDeviceFlow({ clientId: 'Iv1.fromParam', baseUrl: await gheApi('device-flow-expired') });
    expect(await core.api.github.pollDeviceFlow()).toMatchObject({ state: 'slow_down', interval: 10 });
    expect(await core.api.github.pollDeviceFlow()).toEqual({ state: 'expired_token', message: expect.stringContaining('start the sign-in again') });
    await expect(core.api.github.pollDeviceFlow()).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await core.api.github.account()).toBeNull();
  });

  it('a cancelled sign-in ends the flow (client id from the host: GROUNDWORK_GITHUB_CLIENT_ID)', async () => {
    await core.api.github.startDeviceFlow({ baseUrl: await gheApi('device-flow-denied') });
    expect(await core.api.github.pollDeviceFlow()).toEqual({ state: 'access_denied', message: expect.stringContaining('cancelled') });
    expect(await core.api.github.account()).toBeNull();
  });

  it('an app without device flow is VALIDATION naming clientId', async () => {
    const failure = core.api.github.startDeviceFlow({ clientId: 'Iv1.noDeviceFlow', baseUrl: await gheApi('device-flow-disabled') });
    await expect(failure).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'clientId', githubError: 'device_flow_disabled' } });
  });

  it('no client id anywhere is VALIDATION naming clientId, before any request', async () => {
    const bare = await createCore({ dataDir: null, github: { retries: false } });
    try {
      await expect(bare.api.github.startDeviceFlow({})).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^clientId: /) });
    } finally {
      await bare.close();
    }
  });
});
