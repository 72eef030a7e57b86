/**
 * The y-websocket wire format (y-protocols): one varint message type, then its body. Spoken by
 * the relay (rooms, connections) and the app's relay link alike. Decoding is total: any frame
 * either becomes a typed message or throws, and the caller closes that one socket (the crashes
 * and loops of y-websocket #82/#95/#189 came from decoding outside a guard).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

export type ClientMessage =
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  | { type: 'sync-step-2' | 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'auth' };

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export function decodeMessage(frame: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(frame);
  const messageType = decoding.readVarUint(decoder);
  switch (messageType) {
    case MESSAGE_SYNC: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP_1) {
        Y.decodeStateVector(payload); // throws here, not later inside encodeStateAsUpdate
        return { type: 'sync-step-1', stateVector: payload };
      }
      if (step === SYNC_STEP_2) return { type: 'sync-step-2', update: payload };
      if (step === SYNC_UPDATE) return { type: 'update', update: payload };
      throw new ProtocolError(`unknown sync step ${step}`);
    }
    case MESSAGE_AWARENESS:
      return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
    case MESSAGE_QUERY_AWARENESS:
      return { type: 'query-awareness' };
    case MESSAGE_AUTH:
      return { type: 'auth' }; // the relay authenticates at the upgrade; in-band auth is ignored
    default:
      throw new ProtocolError(`unknown message type ${messageType}`);
  }
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const syncFrame = (step: number, payload: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });

export const syncStep1Frame = (stateVector: Uint8Array) => syncFrame(SYNC_STEP_1, stateVector);
export const syncStep2Frame = (update: Uint8Array) => syncFrame(SYNC_STEP_2, update);
export const updateFrame = (update: Uint8Array) => syncFrame(SYNC_UPDATE, update);
export const awarenessFrame = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, update);
  });

/** Whether a state vector names no client, i.e. the peer has nothing yet. */
export const isEmptyStateVector = (stateVector: Uint8Array) => stateVector.length === 0 || (stateVector.length === 1 && stateVector[0] === 0);
