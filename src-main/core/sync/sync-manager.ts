/**
 * Team sync of workspaces: for every workspace joined to a relay, one RoomLink per doc (the
 * workspace doc and each project's doc), the aggregate status people see, the count of local
 * changes the relay has not confirmed, and presence (who is looking at which project or task).
 *
 * Confirmation uses the standard protocol only: the relay answers a sync step 1 once everything
 * it received before is durable, so a step 1 sent after our updates is an acknowledgement probe.
 */
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ApiError, type Peer, type Presence, type Role, type SyncError, type SyncStatus } from '../../contract';
import type { CoreContext } from '../context';
import { invitesReply, membersReply, type InvitesReply, type MembersReply } from '../../sync-protocol/http-replies';
import { parseInvite, readInviteReply, readReply, relayRequest, whoami, type Invite } from './invite';
import type { ProjectionProblem } from './column-values';
import type { SavedChange } from './doc-store';
import { ownMemberKey } from '../workspaces/workspaces.api';
import { RoomLink, type LinkStatus } from './relay-link';
import { projectRoom, workspaceRoom, type Room } from './rooms';
import type { SecretSealer } from './secrets';

/** Kept in local settings as `sync:<workspaceId>`; the token only sealed. */
export interface SyncConfig {
  relayUrl: string;
  role: Role;
  jti: string;
  sealedToken: string;
}

const configKey = (workspaceId: string) => `sync:${workspaceId}`;
/** Per room: the highest local log seq the relay has confirmed. */
const ackedKey = (room: string) => `sync-acked:${room}`;

/**
 * Local changes not yet confirmed by the relay: log rows written here after the last
 * confirmation of their room. Survives restarts (it is read from the log itself).
 */
async function countUnconfirmed(ctx: CoreContext, roomPrefix: string): Promise<number> {
  const { rows } = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM doc_updates u
     LEFT JOIN settings s ON s.key = 'sync-acked:' || u.room
     WHERE u.room LIKE $1 AND NOT u.from_remote AND u.seq > coalesce((s.value #>> '{}')::bigint, 0)`,
    [`${roomPrefix}%`],
  );
  return rows[0]?.n ?? 0;
}
const MAX_ERRORS = 20;

const notSynced = () => new ApiError('VALIDATION', 'workspaceId: this workspace is not synced to a relay; publish it first', { field: 'workspaceId' });

export interface SyncManagerOptions {
  sealer: SecretSealer;
  fetch: typeof fetch;
  emitStatus(status: SyncStatus): void;
  emitPresence(presence: Presence): void;
  /** The links' wait before reconnecting (tests make it long); RoomLink's back-off by default. */
  retryDelayMs?: (attempt: number) => number;
}

/** What this machine shows teammates: who (name, colour, member) and where (project, task). */
export interface PresenceState {
  name: string;
  color: string;
  memberId: string | null;
  projectId: string | null;
  taskId: string | null;
}

export class SyncManager {
  private readonly active = new Map<string, WorkspaceSync>();
  /**
   * Per workspace, each connection's (window's, tab's) presence, most recent last. The machine is
   * present while any of its connections is: as the latest one's view; absent once the last ends.
   */
  private readonly presenceByConnection = new Map<string, Map<string, PresenceState>>();
  /** Every synced workspace's config, online or not (loaded at start, kept in step with settings). */
  private readonly configs = new Map<string, SyncConfig>();
  private readonly detach: (() => void)[] = [];

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: SyncManagerOptions,
  ) {
    // Local changes go to the relay once durable (a save hook); what a teammate sent that this
    // replica cannot store is reported in the status.
    this.detach.push(ctx.docs.addHook({ name: 'team-sync', afterSave: (change) => this.active.get(change.room.workspaceId)?.saved(change) }));
    // Back from sleep: every link reconnects now instead of waiting out its back-off.
    this.detach.push(ctx.main.on('power.resumed', () => this.active.forEach((sync) => sync.reconnectNow())));
    void ctx.main.api.events.subscribe({ event: 'power.resumed' }).catch((err: unknown) => ctx.logger.warn({ err }, 'could not subscribe to power events'));
  }

  /** Starts every configured workspace (at launch); never throws for one that cannot connect. */
  async startAll(): Promise<void> {
    const { rows } = await this.ctx.db.query<{ key: string; value: SyncConfig }>("SELECT key, value FROM settings WHERE key LIKE 'sync:%'");
    for (const { key, value } of rows) {
      const workspaceId = key.slice('sync:'.length);
      this.configs.set(workspaceId, value);
      await this.start(workspaceId).catch((err: unknown) => this.ctx.logger.error({ err, workspaceId }, 'could not start sync'));
    }
  }

  config(workspaceId: string): SyncConfig | null {
    return this.configs.get(workspaceId) ?? null;
  }

  /** Whether local edits to the workspace are allowed (viewers only read, online or not). */
  canWrite(workspaceId: string): boolean {
    return this.configs.get(workspaceId)?.role !== 'viewer';
  }

  async status(workspaceId: string): Promise<SyncStatus> {
    const running = this.active.get(workspaceId);
    if (running) return running.status();
    const config = this.configs.get(workspaceId);
    return {
      workspaceId,
      state: config ? 'offline' : 'local',
      relayUrl: config?.relayUrl ?? null,
      role: config?.role ?? 'owner',
      pendingChanges: config ? await countUnconfirmed(this.ctx, `${workspaceId}/`) : 0,
      lastSyncedAt: null,
      errors: [],
    };
  }

  /** Joins the workspace an invite names: its local replica has the relay workspace's id. */
  async join(inviteText: string): Promise<string> {
    const invite = parseInvite(inviteText);
    const info = await whoami(this.options.fetch, invite);
    const workspaceId = info.workspace;
    if (this.active.has(workspaceId)) {
      throw new ApiError('CONFLICT', 'invite: this machine already syncs that workspace', { field: 'invite' });
    }
    await this.saveConfig(workspaceId, invite, info.role, info.jti);
    await this.start(workspaceId);
    await this.active.get(workspaceId)!.whenWorkspaceDocSynced(15_000);
    return workspaceId;
  }

  /**
   * Publishes an existing local workspace to the relay workspace of an owner's invite. The local
   * workspace takes the relay workspace's id (`rekey`), so every replica names it the same.
   */
  async publish(workspaceId: string, inviteText: string, rekey: (from: string, to: string) => Promise<void>): Promise<SyncStatus> {
    const invite = parseInvite(inviteText);
    if (this.configs.has(workspaceId)) throw new ApiError('CONFLICT', 'This workspace is already synced; leave it first to move it to another relay.');
    const info = await whoami(this.options.fetch, invite);
    if (info.role !== 'owner' && info.role !== 'admin') {
      throw new ApiError('FORBIDDEN', `invite: publishing needs an owner or admin invite; this one is for a ${info.role}`, { field: 'invite' });
    }
    await rekey(workspaceId, info.workspace);
    await this.saveConfig(info.workspace, invite, info.role, info.jti);
    await this.start(info.workspace);
    return this.status(info.workspace);
  }

  /**
   * Takes a synced workspace offline (edits keep going to the local log) or back online, where
   * the exchange on reconnect sends what either side missed. Tests use it to make partitions.
   */
  async setOnline(workspaceId: string, online: boolean): Promise<void> {
    if (online) await this.start(workspaceId);
    else await this.stop(workspaceId);
    this.options.emitStatus(await this.status(workspaceId));
  }

  async leave(workspaceId: string): Promise<void> {
    await this.stop(workspaceId);
    this.configs.delete(workspaceId);
    await this.ctx.db.query('DELETE FROM settings WHERE key = $1', [configKey(workspaceId)]);
    this.options.emitStatus(await this.status(workspaceId));
  }

  async createInvite(workspaceId: string, input: { role: 'member' | 'viewer'; name?: string; expires?: string }): Promise<string> {
    const invite = await this.ownInvite(workspaceId);
    if (!invite) throw notSynced();
    const response = await relayRequest(this.options.fetch, invite, '/v1/invites', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return (await readInviteReply(response, invite)).invite;
  }

  /**
   * Tells the relay which member of the workspace doc uses this machine's token, so the members
   * list can show their role and last visit. Best effort: a relay that cannot take it (an older
   * one, offline) only leaves that member's role unknown.
   */
  async announceMember(workspaceId: string, memberId: string): Promise<void> {
    const invite = await this.ownInvite(workspaceId).catch(() => null);
    if (!invite) return;
    await relayRequest(this.options.fetch, invite, '/v1/me', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ memberId }),
    }).catch((err: unknown) => this.ctx.logger.warn({ err, workspaceId }, 'could not tell the relay which member this machine is'));
  }

  /** Who has access by member: role and last connection (any role may ask). */
  async relayMembers(workspaceId: string): Promise<MembersReply['members']> {
    const invite = await this.ownInvite(workspaceId);
    if (!invite) return [];
    return (await readReply(await relayRequest(this.options.fetch, invite, '/v1/members', { method: 'GET' }), membersReply, invite)).members;
  }

  /** The workspace's member and viewer invites (owners and admins only; the relay checks too). */
  async invites(workspaceId: string): Promise<InvitesReply['invites']> {
    const invite = await this.ownInvite(workspaceId, 'see the invites');
    if (!invite) throw notSynced();
    return (await readReply(await relayRequest(this.options.fetch, invite, '/v1/invites', { method: 'GET' }), invitesReply, invite)).invites;
  }

  async revokeInvite(workspaceId: string, inviteId: string): Promise<void> {
    const invite = await this.ownInvite(workspaceId, 'revoke invites');
    if (!invite) throw notSynced();
    if (inviteId === this.configs.get(workspaceId)?.jti) {
      throw new ApiError('VALIDATION', 'inviteId: that is the invite this machine uses; leave the workspace instead', { field: 'inviteId' });
    }
    await relayRequest(this.options.fetch, invite, '/v1/invites/revoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: inviteId }),
    });
  }

  /**
   * This machine's token for the workspace's relay, or null for a local workspace. With `forAdminTo`,
   * only an owner's or admin's: others get FORBIDDEN saying what they may not do.
   */
  private async ownInvite(workspaceId: string, forAdminTo?: string): Promise<Invite | null> {
    const config = this.config(workspaceId);
    if (!config) return null;
    if (forAdminTo && config.role !== 'owner' && config.role !== 'admin') {
      throw new ApiError('FORBIDDEN', `Only owners and admins can ${forAdminTo} of this workspace; you are a ${config.role}.`);
    }
    return { relayUrl: config.relayUrl, token: await this.options.sealer.open(config.sealedToken) };
  }

  setPresence(workspaceId: string, connectionId: string, state: PresenceState): void {
    const byConnection = this.presenceByConnection.get(workspaceId) ?? new Map<string, PresenceState>();
    this.presenceByConnection.set(workspaceId, byConnection);
    byConnection.delete(connectionId); // re-inserted: the most recent view goes last
    byConnection.set(connectionId, state);
    this.showPresence(workspaceId);
  }

  /** A window or tab went away: its presence ends (the machine stays present through its others). */
  connectionEnded(connectionId: string): void {
    for (const [workspaceId, byConnection] of this.presenceByConnection) {
      if (byConnection.delete(connectionId)) this.showPresence(workspaceId);
    }
  }

  private showPresence(workspaceId: string): void {
    const views = [...(this.presenceByConnection.get(workspaceId)?.values() ?? [])];
    this.active.get(workspaceId)?.setPresence(views.at(-1) ?? null);
  }

  presence(workspaceId: string): Presence {
    return { workspaceId, peers: this.active.get(workspaceId)?.peers() ?? [] };
  }

  /** Which log rows of a room compaction may merge: not those the relay has not confirmed. */
  compactionLimit(room: Room): number | null {
    return this.active.get(room.workspaceId)?.ackedSeq(room) ?? null;
  }

  async close(): Promise<void> {
    this.detach.splice(0).forEach((off) => off());
    for (const workspaceId of [...this.active.keys()]) await this.stop(workspaceId);
  }

  private async saveConfig(workspaceId: string, invite: Invite, role: Role, jti: string): Promise<void> {
    const config: SyncConfig = { relayUrl: invite.relayUrl, role, jti, sealedToken: await this.options.sealer.seal(invite.token) };
    await this.ctx.settings.set(configKey(workspaceId), config);
    this.configs.set(workspaceId, config);
  }

  private async start(workspaceId: string): Promise<void> {
    const config = this.config(workspaceId);
    if (!config || this.active.has(workspaceId)) return;
    const token = await this.options.sealer.open(config.sealedToken);
    const sync = new WorkspaceSync(this.ctx, workspaceId, config, token, this.options);
    this.active.set(workspaceId, sync);
    await sync.start();
    this.showPresence(workspaceId);
    // Relays record which member uses a token since the members list exists: tell them at each start.
    const memberId = await this.ctx.settings.get<string>(ownMemberKey(workspaceId));
    if (memberId) void this.announceMember(workspaceId, memberId);
  }

  private async stop(workspaceId: string): Promise<void> {
    const sync = this.active.get(workspaceId);
    this.active.delete(workspaceId);
    sync?.stop();
  }
}

/** One synced workspace: its links, their combined status, acknowledgements and presence. */
class WorkspaceSync {
  private readonly links = new Map<string, { link: RoomLink; room: Room }>();
  private readonly errors: SyncError[] = [];
  /** Per room: the highest local log seq the relay has confirmed, and probes in flight. */
  private readonly acked = new Map<string, number>();
  private readonly probes = new Map<string, (number | null)[]>();
  private readonly probeTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Rooms whose probe waits for the opening exchange to complete. */
  private readonly probesAfterSync = new Set<string>();
  private readonly linkStates = new Map<string, LinkStatus['state']>();
  private pending = 0;
  private lastSyncedAt: string | null = null;
  /** Fields already named in the errors as values this replica could not store. */
  private readonly reported = new Set<string>();
  private readonly awareness = new Awareness(new Y.Doc());
  private offChanges: (() => void) | null = null;
  private statusTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly workspaceId: string,
    readonly config: SyncConfig,
    private readonly token: string,
    private readonly options: SyncManagerOptions,
  ) {
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === 'local') {
        const update = encodeAwarenessUpdate(this.awareness, [this.awareness.clientID]);
        this.links.get(workspaceRoom(this.workspaceId).name)?.link.sendAwareness(update);
      }
      if (added.length + updated.length + removed.length > 0) this.options.emitPresence({ workspaceId: this.workspaceId, peers: this.peers() });
    });
  }

  async start(): Promise<void> {
    const rooms = [workspaceRoom(this.workspaceId)];
    const { rows } = await this.ctx.db.query<{ id: string }>('SELECT id FROM projects WHERE workspace_id = $1', [this.workspaceId]);
    for (const { id } of rows) rooms.push(projectRoom(this.workspaceId, id));
    // Projects that appear later (created here or arriving from the relay) get their link too.
    this.offChanges = this.ctx.onChange((event) => {
      if (event.workspaceId !== this.workspaceId || event.entity !== 'project') return;
      for (const id of event.ids) this.link(projectRoom(this.workspaceId, id));
    });
    await this.countPending(rooms);
    for (const room of rooms) this.link(room);
    this.emitStatus();
  }

  stop(): void {
    this.offChanges?.();
    for (const timer of this.probeTimers.values()) clearTimeout(timer);
    this.probesAfterSync.clear();
    if (this.statusTimer) clearTimeout(this.statusTimer);
    for (const { link } of this.links.values()) link.stop();
    this.links.clear();
    this.awareness.destroy();
  }

  /** Resolves once the workspace doc has had its first exchange (join waits for the name). */
  whenWorkspaceDocSynced(timeoutMs: number): Promise<void> {
    const link = this.links.get(workspaceRoom(this.workspaceId).name)?.link;
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        if (link?.current.synced) return resolve();
        if (link?.current.state === 'error') return reject(new ApiError('UNAVAILABLE', link.current.error ?? 'The relay refused the connection.'));
        if (Date.now() - started > timeoutMs) return reject(new ApiError('UNAVAILABLE', `The relay at ${this.config.relayUrl} did not answer in time.`));
        setTimeout(check, 25);
      };
      check();
    });
  }

  status(): SyncStatus {
    const states = [...this.links.values()].map(({ link }) => link.current);
    const state = states.some((s) => s.state === 'error')
      ? 'error'
      : states.length > 0 && states.every((s) => s.state === 'connected' && s.synced)
        ? 'connected'
        : states.some((s) => s.state === 'connecting' || (s.state === 'connected' && !s.synced))
          ? 'connecting'
          : 'offline';
    return {
      workspaceId: this.workspaceId,
      state,
      relayUrl: this.config.relayUrl,
      role: this.config.role,
      pendingChanges: this.pending,
      lastSyncedAt: this.lastSyncedAt,
      errors: [...this.errors],
    };
  }

  /** Everyone else present, once per person: one member on two machines counts once. */
  peers(): Peer[] {
    const peers: Peer[] = [];
    const members = new Set<string>();
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID || !state || typeof state.name !== 'string') continue;
      if (typeof state.memberId === 'string') {
        if (members.has(state.memberId)) continue;
        members.add(state.memberId);
      }
      peers.push({
        clientId,
        name: state.name,
        color: typeof state.color === 'string' ? state.color : '#6366f1',
        projectId: typeof state.projectId === 'string' ? state.projectId : null,
        taskId: typeof state.taskId === 'string' ? state.taskId : null,
      });
    }
    return peers;
  }

  /** null: nobody here is looking any more, so teammates stop seeing this machine. */
  setPresence(state: PresenceState | null): void {
    if (state === null && this.awareness.getLocalState() === null) return;
    this.awareness.setLocalState(state); // origin 'local' (y-protocols' default)
  }

  ackedSeq(room: Room): number {
    return this.acked.get(room.name) ?? 0;
  }

  /** A change of this workspace is durable locally: local ones go to the relay. */
  saved({ room, update, origin, problems }: SavedChange): void {
    if (problems.length > 0) this.reportProblems(problems);
    if (origin.kind === 'remote') return;
    this.pending++;
    this.scheduleStatus();
    const entry = this.links.get(room.name);
    if (!entry) return;
    entry.link.sendUpdate(update);
    this.scheduleProbe(room);
  }

  /** Reconnects every link that waits to retry (the machine woke up, the network came back). */
  reconnectNow(): void {
    for (const { link } of this.links.values()) link.reconnectNow();
  }

  /**
   * A teammate's value this replica cannot store (a bad date, a NUL) is kept in the doc and shown
   * empty; the status names it once per field, not on every save of that entity.
   */
  private reportProblems(problems: ProjectionProblem[]): void {
    for (const p of problems) {
      const key = `${p.entity}:${p.id}:${p.field}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.addError(
        `A change from a teammate set ${p.field} of ${p.entity} ${p.id} to ${p.value}, which ${p.reason}: this computer shows it empty and goes on syncing.`,
      );
    }
    this.scheduleStatus();
  }

  private addError(message: string): void {
    if (this.errors[0]?.message === message) return;
    this.errors.unshift({ at: this.ctx.now(), message });
    this.errors.length = Math.min(this.errors.length, MAX_ERRORS);
  }

  private link(room: Room): void {
    if (this.links.has(room.name)) return;
    const link = new RoomLink({
      relayUrl: this.config.relayUrl,
      token: this.token,
      room,
      docs: this.ctx.docs,
      logger: this.ctx.logger,
      now: this.ctx.now,
      onStatus: (status) => this.onLinkStatus(room, status),
      onSyncStep2: () => this.onProbeAnswered(room),
      onAnsweredRelay: () => this.scheduleProbe(room),
      onAwareness: (update) => applyAwarenessUpdate(this.awareness, update, 'remote'),
      retryDelayMs: this.options.retryDelayMs,
    });
    this.links.set(room.name, { link, room });
    this.probes.set(room.name, []);
    link.start();
  }

  private onLinkStatus(room: Room, status: LinkStatus): void {
    const was = this.linkStates.get(room.name);
    this.linkStates.set(room.name, status.state);
    if (status.state === 'connected' && was !== 'connected') {
      // The relay is reachable again: the workspace's other links stop waiting out their own
      // back-off (each drew its own, up to 30 s), so the status says "Synced" as soon as the
      // link is back rather than when the slowest timer fires.
      for (const [name, { link }] of this.links) if (name !== room.name) link.reconnectNow();
      // A fresh connection: our opening step 1 is answered without confirming anything of ours.
      this.probes.set(room.name, [null]);
      if (room.kind === 'workspace' && this.awareness.getLocalState()) {
        this.links.get(room.name)?.link.sendAwareness(encodeAwarenessUpdate(this.awareness, [this.awareness.clientID]));
      }
    }
    if (status.lastSyncedAt && (!this.lastSyncedAt || status.lastSyncedAt > this.lastSyncedAt)) this.lastSyncedAt = status.lastSyncedAt;
    if (status.error) this.addError(status.error);
    this.scheduleStatus();
  }

  /**
   * After we sent updates (or answered the relay's step 1 with our offline changes), a step 1 of
   * ours is answered only once they are durable on the relay: its answer confirms them. Until the
   * answer to our opening step 1 is in, a probe would carry the same stale state vector and be
   * answered with everything the others wrote all over again: it waits for that answer.
   */
  private scheduleProbe(room: Room): void {
    if (this.probeTimers.has(room.name)) return;
    const timer = setTimeout(() => {
      this.probeTimers.delete(room.name);
      if (this.links.get(room.name)?.link.current.synced === false) {
        this.probesAfterSync.add(room.name);
        return;
      }
      void this.maxLocalSeq(room).then((watermark) => {
        const entry = this.links.get(room.name);
        // Everything local in the log now was sent before this probe (updates are sent once durable).
        if (entry && entry.link.sendProbe()) this.probes.get(room.name)?.push(watermark);
      });
    }, 50);
    timer.unref?.();
    this.probeTimers.set(room.name, timer);
  }

  private onProbeAnswered(room: Room): void {
    if (this.probesAfterSync.delete(room.name)) this.scheduleProbe(room);
    const queue = this.probes.get(room.name);
    const watermark = queue?.shift();
    if (watermark === undefined || watermark === null) return;
    if (watermark > (this.acked.get(room.name) ?? 0)) {
      this.acked.set(room.name, watermark);
      void this.ctx.settings.set(ackedKey(room.name), watermark).then(() => this.countPending([...this.links.values()].map((l) => l.room)));
    }
  }

  private async maxLocalSeq(room: Room): Promise<number> {
    const { rows } = await this.ctx.db.query<{ seq: number | null }>(
      'SELECT max(seq)::float8 AS seq FROM doc_updates WHERE room = $1 AND NOT from_remote',
      [room.name],
    );
    return rows[0]?.seq ?? 0;
  }

  private async countPending(rooms: Room[]): Promise<void> {
    for (const room of rooms) {
      if (!this.acked.has(room.name)) this.acked.set(room.name, (await this.ctx.settings.get<number>(ackedKey(room.name))) ?? 0);
    }
    this.pending = await countUnconfirmed(this.ctx, `${this.workspaceId}/`);
    this.scheduleStatus();
  }

  private scheduleStatus(): void {
    if (this.statusTimer) return;
    // Coalesced: a burst of 1,000 edits is one status event, not 1,000.
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.emitStatus();
    }, 100);
    this.statusTimer.unref?.();
  }

  private emitStatus(): void {
    this.options.emitStatus(this.status());
  }
}
