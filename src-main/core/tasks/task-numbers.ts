/**
 * Task numbers (the 12 of WEB-12) are handed out as max + 1 by the replica that creates the task,
 * so replicas that worked offline at the same time hand out the same ones. Whenever changes from
 * elsewhere land in a project, its duplicates are renumbered: of the tasks sharing a number, the
 * one created first (then the lowest id) keeps it, and the others take the numbers after the
 * project's highest, in that same order.
 *
 * Only the replica that created a task renumbers it (tasks carry `createdOn`). If every replica
 * renumbered every duplicate, replicas with different views of the moment would write different
 * numbers to one task and keep colliding; with one writer per task, a collision with another
 * replica's concurrent renumbering is settled by the same rule on the next pass, and stops.
 * Tasks without `createdOn` (made before it existed) are left as they are.
 */
import type { PGlite } from '@electric-sql/pglite';
import type * as Y from 'yjs';
import type { CoreContext } from '../context';
import { replicaId } from '../settings/replica-id';
import { systemOrigin } from '../sync/origins';
import type { Room } from '../sync/rooms';

export interface Renumbering {
  id: string;
  number: number;
}

/** Whether any of these tasks shares its number with another task of its project (index lookups). */
export async function anySharesNumber(db: Pick<PGlite, 'query'>, taskIds: string[]): Promise<boolean> {
  const { rows } = await db.query<{ shared: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM tasks t JOIN tasks other ON other.project_id = t.project_id AND other.number = t.number AND other.id <> t.id
       WHERE t.id = ANY($1::uuid[])) AS shared`,
    [taskIds],
  );
  return rows[0]?.shared ?? false;
}

/** The tasks of a project to renumber, with their new numbers; empty when every number is unique. */
export async function duplicateNumbers(db: Pick<PGlite, 'query'>, projectId: string): Promise<Renumbering[]> {
  const { rows } = await db.query<Renumbering>(
    `WITH ranked AS (
       SELECT id, created_at, row_number() OVER (PARTITION BY number ORDER BY created_at, id) AS rank
       FROM tasks WHERE project_id = $1)
     SELECT id, ((SELECT max(number) FROM tasks WHERE project_id = $1) + row_number() OVER (ORDER BY created_at, id))::int AS number
     FROM ranked WHERE rank > 1 ORDER BY created_at, id`,
    [projectId],
  );
  return rows;
}

export interface TaskNumberKeeper {
  close(): Promise<void>;
}

/** Passes run shortly after a burst of remote changes, not after each of them. */
const settleMs = 25;

export function taskNumberKeeper(ctx: CoreContext, canWrite: (room: Room) => boolean): TaskNumberKeeper {
  const due = new Map<string, { room: Room; taskIds: Set<string> }>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const pass = async () => {
    const batches = [...due.values()];
    due.clear();
    for (const { room, taskIds } of batches) {
      const projectId = room.projectId;
      if (closed || !projectId || !canWrite(room)) continue;
      // A mutation of the workspace like any other: its deciding reads and its write are one unit.
      const renumbered = await ctx.mutate(room.workspaceId, async () => {
        // Cheap first: only a task that arrived (or was renumbered elsewhere) can make a duplicate.
        if (!(await anySharesNumber(ctx.db, [...taskIds]))) return 0;
        const fixes = await duplicateNumbers(ctx.db, projectId);
        if (fixes.length === 0) return 0;
        const mine = await replicaId(ctx.settings);
        return renumber(room, fixes, mine);
      });
      if (renumbered > 0) ctx.logger.info({ room: room.name, renumbered }, 'renumbered tasks that shared a number after a merge');
    }
  };

  // Recorded as the system's change (history names nobody), not the person's who was here.
  const renumber = (room: Room, fixes: Renumbering[], mine: string) =>
    ctx.docs.write(room, systemOrigin('renumber duplicate task numbers'), (doc) => {
      const tasks = doc.getMap<Y.Map<unknown>>('tasks');
      let count = 0;
      for (const { id, number } of fixes) {
        const task = tasks.get(id);
        if (task?.get('createdOn') !== mine) continue;
        task.set('number', number);
        count++;
      }
      return count;
    });

  const remoteChange = (room: Room, taskIds: string[]) => {
    if (closed || room.kind !== 'project' || taskIds.length === 0) return;
    const batch = due.get(room.name) ?? { room, taskIds: new Set<string>() };
    for (const id of taskIds) batch.taskIds.add(id);
    due.set(room.name, batch);
    timer ??= setTimeout(() => {
      timer = null;
      running = running.then(pass).catch((err: unknown) => ctx.logger.warn({ err }, 'renumbering tasks failed'));
    }, settleMs);
    timer.unref?.();
  };
  // Changes from elsewhere to tasks were saved in a project's doc: check their numbers soon.
  const removeHook = ctx.docs.addHook({
    name: 'task-numbers',
    afterSave: ({ origin, room, entities }) => {
      if (origin.kind === 'remote') remoteChange(room, entities.filter((e) => e.entity === 'task').map((e) => e.id));
    },
  });

  return {
    async close() {
      closed = true;
      removeHook();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
