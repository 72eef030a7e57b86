import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, connect } from '../contract';
import { messagePortTransport, type MessagePortLike } from './message-port';
import { serve } from './serve';

/**
 * Node's MessagePort in the shape of Electron's MessagePortMain, whose 'message' listeners get
 * `{ data }` instead of the bare value: a real port with real structured cloning underneath.
 */
function electronShaped(port: MessagePort): MessagePortLike {
  const wrapped = new Map<(...args: never[]) => void, (...args: unknown[]) => void>();
  const wrap = (event: string, listener: (...args: never[]) => void) => {
    const fn = event === 'message' ? (data: unknown) => (listener as (e: { data: unknown }) => void)({ data }) : listener;
    wrapped.set(listener, fn as (...args: unknown[]) => void);
    return fn as (...args: unknown[]) => void;
  };
  return {
    on: (event: 'message' | 'close', listener: (...args: never[]) => void) => port.on(event, wrap(event, listener)),
    off: (event: 'message' | 'close', listener: (...args: never[]) => void) => port.off(event, wrapped.get(listener)!),
    postMessage: (message) => port.postMessage(message),
    start: () => port.start(),
    close: () => port.close(),
  } as MessagePortLike;
}

const open: MessagePort[] = [];
afterEach(() => open.splice(0).forEach((p) => p.close()));

function pair() {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  return { server: messagePortTransport(electronShaped(port1)), client: port2 };
}

const handlers = {
  notes: {
    add: (args: unknown) => ({ added: args }),
    fail: () => {
      throw new ApiError('VALIDATION', 'title is required');
    },
  },
};

describe('messagePortTransport', () => {
  it('carries calls and replies both ways', async () => {
    const { server, client } = pair();
    serve(handlers, server);
    const { api } = connect(messagePortTransport(electronShaped(client)));
    const notes = (api as unknown as { notes: Record<string, (a: unknown) => Promise<unknown>> }).notes;
    await expect(notes.add!({ title: 'x' })).resolves.toEqual({ added: { title: 'x' } });
    await expect(notes.fail!({})).rejects.toMatchObject({ code: 'VALIDATION', message: 'title is required' });
  });

  it('closes the port on a malformed message and reports why', async () => {
    const { server, client } = pair();
    const reason = new Promise((resolve) => server.onClose?.(resolve));
    const clientClosed = new Promise((resolve) => client.once('close', resolve));
    client.postMessage('not a wire message');
    expect(await reason).toBe('malformed message');
    await clientClosed;
  });

  it('reports the other end closing (the renderer reloaded)', async () => {
    const { server, client } = pair();
    const reason = new Promise((resolve) => server.onClose?.(resolve));
    client.close();
    expect(await reason).toBe('port closed');
  });
});
