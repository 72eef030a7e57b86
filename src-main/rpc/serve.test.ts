/**
 * serve: events by subscription (per connection, per workspace), changes a call caused sent with
 * its reply, and a debug log line per call with its timing and outcome.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ApiError, connect, type ApiEvents, type ChangeEvent } from '../contract';
import { inProcessPair } from './in-process';
import { serve, subscriptionHandlers, type CallContext, type EventSource, type Handlers } from './serve';

function setup(log?: { debug(obj: object, msg?: string): void }) {
  const emitter = new EventEmitter();
  const events: EventSource<ApiEvents> = {
    on(event, listener) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
  };
  const handlers = {
    events: subscriptionHandlers(),
    tasks: {
      // A write that, like the core's, emits its change (naming the call) before it returns.
      update: (args: unknown, call: CallContext) => {
        const { id, also } = args as { id: string; also?: string };
        const change: ChangeEvent = { workspaceId: 'w1', projectId: 'p', entity: 'task', ids: also ? [id, also] : [id], cause: { connectionId: call.connectionId, callId: call.callId } };
        emitter.emit('changed', change);
        return { id, title: 'updated' };
      },
      fail: () => {
        throw new ApiError('CONFLICT', 'taken');
      },
    },
  } as unknown as Handlers;
  const open = () => {
    const [serverEnd, clientEnd] = inProcessPair();
    serve(handlers, serverEnd, { events, eventNames: ['changed', 'sync', 'presence', 'notification'], log });
    return connect(clientEnd);
  };
  return { emitter, open };
}

const change = (workspaceId: string | null, ids: string[]): ChangeEvent => ({ workspaceId, projectId: null, entity: 'task', ids });
const flush = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('serve', () => {
  it('delivers an event only to connections subscribed to it, for its workspace or all', async () => {
    const { emitter, open } = setup();
    const [w1, all, none] = [open(), open(), open()];
    const seen = { w1: [] as ChangeEvent[], all: [] as ChangeEvent[], none: [] as ChangeEvent[] };
    w1.on('changed', (e) => seen.w1.push(e));
    all.on('changed', (e) => seen.all.push(e));
    none.on('changed', (e) => seen.none.push(e));
    expect(await w1.api.events.subscribe({ event: 'changed', workspaceId: 'w1' })).toEqual([{ event: 'changed', workspaceId: 'w1' }]);
    await all.api.events.subscribe({ event: 'changed' });
    emitter.emit('changed', change('w1', ['a']));
    emitter.emit('changed', change('w2', ['b']));
    emitter.emit('changed', change(null, ['profile'])); // machine-wide: every subscriber of `changed`
    await flush();
    expect(seen.w1.map((e) => e.ids[0])).toEqual(['a', 'profile']);
    expect(seen.all.map((e) => e.ids[0])).toEqual(['a', 'b', 'profile']);
    expect(seen.none).toEqual([]);
    expect(await w1.api.events.unsubscribe({ event: 'changed', workspaceId: 'w1' })).toEqual([]);
    emitter.emit('changed', change('w1', ['c']));
    await flush();
    expect(seen.w1.map((e) => e.ids[0])).toEqual(['a', 'profile']);
  });

  it('sends a call’s own changes with its reply; other connections get them as events', async () => {
    const { open } = setup();
    const [caller, other] = [open(), open()];
    await caller.api.events.subscribe({ event: 'changed', workspaceId: 'w1' });
    await other.api.events.subscribe({ event: 'changed', workspaceId: 'w1' });
    const callerSaw: ChangeEvent[] = [];
    const otherSaw: ChangeEvent[] = [];
    caller.on('changed', (e) => callerSaw.push(e));
    other.on('changed', (e) => otherSaw.push(e));
    const tasks = caller.api.tasks as unknown as { update(a: unknown): Promise<unknown> };
    await tasks.update({ id: 't1', also: 't2' });
    await flush();
    // The reply carries t1; t2 (changed by the same call) is still announced to the caller.
    expect(callerSaw.map((e) => e.ids)).toEqual([['t2']]);
    expect(otherSaw.map((e) => e.ids)).toEqual([['t1', 't2']]);
  });

  it('logs each call at debug level with its method, duration and outcome', async () => {
    const lines: { obj: Record<string, unknown>; msg?: string }[] = [];
    const { open } = setup({ debug: (obj, msg) => lines.push({ obj: obj as Record<string, unknown>, msg }) });
    const client = open();
    const tasks = client.api.tasks as unknown as { update(a: unknown): Promise<unknown>; fail(a: unknown): Promise<unknown> };
    await tasks.update({ id: 't1' });
    await expect(tasks.fail({})).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(lines).toEqual([
      { obj: { method: 'tasks.update', ms: expect.any(Number), ok: true }, msg: 'rpc call' },
      { obj: { method: 'tasks.fail', ms: expect.any(Number), ok: false, code: 'CONFLICT', err: expect.any(ApiError) }, msg: 'rpc call failed' },
    ]);
  });
});
