/**
 * Tasks that follow their pull requests: a merged PR saying `fixes WEB-42` moves WEB-42 to the
 * project's done stage (`onMerge`), a PR opened for a task moves it to review (`onOpen`). Both
 * rules are per project (`githubRules` in the project's doc: shared), both moves are undoable and
 * recorded as moves (`githubMoves`, projected into `github_task_moves`) beside the task's own
 * history of its stage.
 *
 * Made once: only the repo's sync-job runner moves tasks (repo-sync.ts), and a move's id is
 * derived from task, repo, PR and rule — the task's stage and the move record are written in ONE
 * transaction of the project's doc, and a move already recorded (even undone) is never made
 * again. Two replicas that sync the same merged PR therefore move the task once; a move someone
 * undid stays undone.
 */
import * as Y from 'yjs';
import { ApiError, type GithubProjectRules, type GithubTaskMove, type Stage } from '../../../contract';
import type { CoreContext } from '../../context';
import { orderKeyFor } from '../../ordering/order-key';
import { listStages } from '../../stages/stages.repo';
import { newEntity } from '../../sync/fields';
import { nameId } from '../../sync/name-ids';
import type { Origin } from '../../sync/origins';
import { projectRoom } from '../../sync/rooms';

export const GITHUB_MOVES = 'githubMoves';
export const GITHUB_RULES = 'githubRules';

export type MoveRule = 'onMerge' | 'onOpen';

/** A move the sync wants: the task, the rule, and the PR that asks for it. */
export interface WantedMove {
  taskId: string;
  projectId: string;
  rule: MoveRule;
  repo: string;
  pull: { number: number; title: string; url: string };
}

export const moveId = (taskId: string, repo: string, pull: number, rule: MoveRule) => nameId('github-move', taskId, repo.toLowerCase(), String(pull), rule);

/** The project's rules as stored (both on, stages automatic, when nobody changed them). */
export async function readRules(ctx: CoreContext, workspaceId: string, projectId: string): Promise<GithubProjectRules> {
  return ctx.docs.read(projectRoom(workspaceId, projectId), (doc) => rulesOf(doc.getMap<unknown>(GITHUB_RULES), projectId));
}

function rulesOf(map: Y.Map<unknown>, projectId: string): GithubProjectRules {
  const rule = (name: MoveRule) => {
    const stored = map.get(name);
    const value = stored && typeof stored === 'object' ? (stored as { enabled?: unknown; stageId?: unknown }) : {};
    return { enabled: value.enabled !== false, stageId: typeof value.stageId === 'string' ? value.stageId : null };
  };
  return { projectId, onMerge: rule('onMerge'), onOpen: rule('onOpen') };
}

/** Stores changed rules (inside the workspace's mutation). A stage not of this project is VALIDATION naming it. */
export async function writeRules(
  ctx: CoreContext,
  workspaceId: string,
  projectId: string,
  origin: Origin,
  change: Partial<Pick<GithubProjectRules, 'onMerge' | 'onOpen'>>,
): Promise<GithubProjectRules> {
  const stages = await listStages(ctx.db, projectId);
  for (const name of ['onMerge', 'onOpen'] as const) {
    const stageId = change[name]?.stageId;
    if (stageId && !stages.some((s) => s.id === stageId)) {
      throw new ApiError('VALIDATION', `${name}.stageId: not a stage of this project`, { field: `${name}.stageId` });
    }
  }
  return ctx.docs.write(projectRoom(workspaceId, projectId), origin, (doc) => {
    const map = doc.getMap<unknown>(GITHUB_RULES);
    for (const name of ['onMerge', 'onOpen'] as const) {
      const value = change[name];
      if (value) map.set(name, { enabled: value.enabled, stageId: value.stageId });
    }
    return rulesOf(map, projectId);
  });
}

/** The stage a rule moves to: the chosen one, else the first done stage / the first stage named like "review". */
function targetStage(rules: GithubProjectRules, rule: MoveRule, stages: Stage[]): Stage | null {
  const chosen = rules[rule];
  if (!chosen.enabled) return null;
  if (chosen.stageId) return stages.find((s) => s.id === chosen.stageId) ?? null;
  return rule === 'onMerge' ? (stages.find((s) => s.isDone) ?? null) : (stages.find((s) => !s.isDone && /review/i.test(s.name)) ?? null);
}

/**
 * Makes the moves not made before, a project at a time (call inside the workspace's mutation);
 * returns how many tasks moved. A task is left alone when it is deleted, already done (a merged
 * PR), or already at or past the review stage (an opened PR); the move is not recorded then, so a
 * rule turned on later, or a task reopened, still gets it.
 */
export async function makeMoves(ctx: CoreContext, workspaceId: string, origin: Origin, wanted: readonly WantedMove[]): Promise<number> {
  let moved = 0;
  const byProject = new Map<string, WantedMove[]>();
  for (const move of wanted) byProject.set(move.projectId, [...(byProject.get(move.projectId) ?? []), move]);
  for (const [projectId, moves] of byProject) {
    const [rules, stages] = await Promise.all([readRules(ctx, workspaceId, projectId), listStages(ctx.db, projectId)]);
    const targets = { onMerge: targetStage(rules, 'onMerge', stages), onOpen: targetStage(rules, 'onOpen', stages) };
    const orderOf = new Map(stages.map((s, i) => [s.id, { index: i, done: s.isDone }]));
    // New order keys are read before the write (the write is synchronous); one per target stage and task.
    const orders = new Map<string, string>();
    for (const move of moves) {
      const target = targets[move.rule];
      if (target && !orders.has(`${move.taskId} ${target.id}`)) {
        orders.set(`${move.taskId} ${target.id}`, await orderKeyFor(ctx.db, { table: 'tasks', scope: { column: 'stage_id', value: target.id }, movingId: move.taskId }));
      }
    }
    moved += await ctx.docs.write(projectRoom(workspaceId, projectId), origin, (doc) => {
      const tasks = doc.getMap<unknown>('tasks');
      const records = doc.getMap<unknown>(GITHUB_MOVES);
      const now = ctx.now();
      let count = 0;
      for (const move of moves) {
        const target = targets[move.rule];
        const task = tasks.get(move.taskId);
        const id = moveId(move.taskId, move.repo, move.pull.number, move.rule);
        if (!target || !(task instanceof Y.Map) || task.get('deletedAt') || records.has(id)) continue;
        const from = typeof task.get('stageId') === 'string' ? (task.get('stageId') as string) : null;
        const at = from ? orderOf.get(from) : undefined;
        const targetAt = orderOf.get(target.id)!;
        if (from === target.id || at?.done || (move.rule === 'onOpen' && at && at.index >= targetAt.index)) continue;
        task.set('stageId', target.id);
        task.set('order', orders.get(`${move.taskId} ${target.id}`)!);
        task.set('updatedAt', now);
        records.set(
          id,
          newEntity({
            taskId: move.taskId,
            repo: move.repo,
            pull: move.pull.number,
            pullUrl: move.pull.url,
            pullTitle: move.pull.title,
            rule: move.rule,
            fromStageId: from,
            toStageId: target.id,
            undoneAt: null,
            createdAt: now,
            updatedAt: now,
          }),
        );
        count++;
      }
      return count;
    });
  }
  return moved;
}

/**
 * Undoes a move (inside the workspace's mutation): the task goes back to the stage the move found
 * it in if it is still where the move put it (someone may have moved it since: then only the
 * move is marked undone). Undoing twice changes nothing.
 */
export async function undoMove(ctx: CoreContext, workspaceId: string, projectId: string, id: string, origin: Origin): Promise<void> {
  const record = await ctx.docs.read(projectRoom(workspaceId, projectId), (doc) => {
    const map = doc.getMap<unknown>(GITHUB_MOVES).get(id);
    return map instanceof Y.Map ? { taskId: map.get('taskId') as string, fromStageId: map.get('fromStageId') as string | null, undone: map.get('undoneAt') != null } : null;
  });
  if (!record) throw new ApiError('NOT_FOUND', `moveId: no move with id ${id}`, { field: 'moveId', id });
  if (record.undone) return;
  const stages = await listStages(ctx.db, projectId);
  const back = record.fromStageId && stages.some((s) => s.id === record.fromStageId) ? record.fromStageId : null;
  const order = back ? await orderKeyFor(ctx.db, { table: 'tasks', scope: { column: 'stage_id', value: back }, movingId: record.taskId }) : null;
  await ctx.docs.write(projectRoom(workspaceId, projectId), origin, (doc) => {
    const move = doc.getMap<unknown>(GITHUB_MOVES).get(id) as Y.Map<unknown>;
    const task = doc.getMap<unknown>('tasks').get(record.taskId);
    const now = ctx.now();
    if (back && order && task instanceof Y.Map && !task.get('deletedAt') && task.get('stageId') === move.get('toStageId')) {
      task.set('stageId', back);
      task.set('order', order);
      task.set('updatedAt', now);
    }
    move.set('undoneAt', now);
    move.set('updatedAt', now);
  });
}

interface MoveRow {
  id: string;
  task_id: string;
  repo: string;
  pull: number;
  pull_url: string;
  pull_title: string;
  rule: MoveRule;
  from_stage_id: string | null;
  to_stage_id: string;
  created_at: Date;
  undone_at: Date | null;
}

const moveColumns = 'id, task_id, repo, pull, pull_url, pull_title, rule, from_stage_id, to_stage_id, created_at, undone_at';

const toMove = (r: MoveRow): GithubTaskMove => ({
  id: r.id,
  taskId: r.task_id,
  repo: r.repo,
  pull: r.pull,
  pullUrl: r.pull_url,
  pullTitle: r.pull_title,
  rule: r.rule,
  fromStageId: r.from_stage_id,
  toStageId: r.to_stage_id,
  at: r.created_at.toISOString(),
  undoneAt: r.undone_at?.toISOString() ?? null,
});

export async function listTaskMoves(ctx: CoreContext, taskId: string): Promise<GithubTaskMove[]> {
  const { rows } = await ctx.db.query<MoveRow>(`SELECT ${moveColumns} FROM github_task_moves WHERE task_id = $1 ORDER BY created_at DESC, id`, [taskId]);
  return rows.map(toMove);
}

/** A move with the project it belongs to, or NOT_FOUND naming `moveId`. */
export async function getMove(ctx: CoreContext, id: string): Promise<GithubTaskMove & { projectId: string }> {
  const { rows } = await ctx.db.query<MoveRow & { project_id: string }>(`SELECT ${moveColumns}, project_id FROM github_task_moves WHERE id = $1`, [id]);
  if (!rows[0]) throw new ApiError('NOT_FOUND', `moveId: no move with id ${id}`, { field: 'moveId', id });
  return { ...toMove(rows[0]), projectId: rows[0].project_id };
}
