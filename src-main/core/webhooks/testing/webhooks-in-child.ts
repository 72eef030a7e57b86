/**
 * Run as a child process by webhooks-restart.test.ts: opens a core on argv[2] (secrets sealed with
 * the key file argv[3], as an installation keeps one key), adds an endpoint for argv[4], creates
 * two tasks, prints one JSON line, then waits — its first delivery held by the receiver — until
 * the test kills it with SIGKILL.
 */
import { createCore } from '../../core';
import { nodeMain } from '../../main/main-client';
import { keyFileSealer } from '../../sync/secrets';

const [dataDir, keyFile, url] = process.argv.slice(2);
const main = nodeMain({ sealer: keyFileSealer(keyFile!) });
const core = await createCore({ dataDir: dataDir!, main: main.client });
const workspace = await core.api.workspaces.create({ name: 'Crash test' });
const project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
const endpoint = await core.api.webhooks.create({ workspaceId: workspace.id, url: url!, events: ['task.created'] });
for (const title of ['First', 'Second']) await core.api.tasks.create({ projectId: project.id, title });
console.log(JSON.stringify({ workspaceId: workspace.id, endpointId: endpoint.id, secret: endpoint.secret }));
process.stdin.resume();
