/**
 * The one list of the API methods that change the replica, each with the workspace whose
 * mutations it joins (mutation-queue.ts): read where handlers are registered, like validation,
 * never inside a handler. A method missing here is a read and runs concurrently with everything.
 * `null` is this machine's own state (the workspace list, the profile, joining).
 */
import type { Inputs, ParsedOf } from '../contract';
import type { Places } from './places';

type Scope<NS extends keyof Inputs, M extends keyof Inputs[NS]> = (input: ParsedOf<NS, M>, places: Places) => Promise<string | null> | string | null;
export type MutationScopes = { [NS in keyof Inputs]?: { [M in keyof Inputs[NS]]?: Scope<NS, M> } };

const machine = () => null;
const projectById = ({ id }: { id: string }, places: Places) => places.projectWorkspace(id);
const projectOf = ({ projectId }: { projectId: string }, places: Places) => places.projectWorkspace(projectId, 'projectId');
const stageById = ({ id }: { id: string }, places: Places) => places.stageWorkspace(id);
const jobById = ({ id }: { id: string }, places: Places) => places.jobWorkspace(id);
const taskById = async ({ id }: { id: string }, places: Places) => (await places.task(id)).workspaceId;

export const mutatingMethods: MutationScopes = {
  workspaces: { create: machine, rename: ({ id }) => id, switch: machine },
  profile: { update: machine },
  preferences: { set: machine },
  members: { create: ({ workspaceId }) => workspaceId },
  projects: {
    create: ({ workspaceId }) => workspaceId,
    update: projectById,
    archive: projectById,
    unarchive: projectById,
    delete: projectById,
    setFavorite: projectById,
  },
  stages: { create: projectOf, rename: stageById, move: stageById, remove: stageById },
  tasks: { create: projectOf, update: taskById, move: taskById, delete: taskById, restore: taskById, purge: taskById },
  // runNow and cancel write only this replica's executions; they join the job's workspace so a
  // run never starts while a deletion or takeover of the job is being decided.
  jobs: {
    create: ({ workspaceId }) => workspaceId,
    update: jobById,
    delete: jobById,
    pause: jobById,
    resume: jobById,
    takeOver: jobById,
    runNow: jobById,
    cancel: machine,
  },
  // Links are shared state of the project's workspace; the connection is this machine's own
  // (connectToken and pollDeviceFlow check the token with GitHub first, then store it in the
  // machine's queue themselves: a network call must not hold up the machine's other mutations).
  github: { linkRepo: projectOf, unlinkRepo: projectOf, setProjectRules: projectOf, disconnect: machine },
  // Endpoints are shared state of their workspace; redeliver and sendTest write only this device's
  // outbox, in the same queue so they never interleave with a deletion of the endpoint. The
  // deliveries' network calls run outside any mutation (webhook-sender.ts).
  webhooks: {
    create: ({ workspaceId }) => workspaceId,
    update: ({ id }, places) => places.webhookWorkspace(id),
    delete: ({ id }, places) => places.webhookWorkspace(id),
    rotateSecret: ({ id }, places) => places.webhookWorkspace(id),
    sendTest: ({ id }, places) => places.webhookWorkspace(id),
    redeliver: (input, places) =>
      input.deliveryId ? places.webhookDeliveryWorkspace(input.deliveryId) : places.webhookWorkspace(input.endpointId!, 'endpointId'),
  },
  // Vercel: links are shared state of the project's workspace (linkProject asks Vercel for the
  // project's name inside the queue: one GET); connect stores the token in the machine's queue itself.
  vercel: { linkProject: projectOf, disconnect: machine },
  // Publishing re-keys the workspace and leaving may delete it: nothing of it may be written meanwhile.
  sync: { join: machine, publish: ({ workspaceId }) => workspaceId, leave: ({ workspaceId }) => workspaceId },
};
