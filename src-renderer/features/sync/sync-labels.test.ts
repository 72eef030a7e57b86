import { describe, expect, it } from 'vitest';
import { ApiError, type SyncStatus } from '../../../src-main/contract';
import { isSyncMissing, localStatus } from '../../store/sync-slice';
import { syncDetail } from './sync-labels';

const now = Date.parse('2026-11-22T10:00:00.000Z');
const status = (patch: Partial<SyncStatus>): SyncStatus => ({ ...localStatus('w'), state: 'connected', relayUrl: 'ws://r', ...patch });

describe('syncDetail', () => {
  it('says nothing more for a local workspace', () => {
    expect(syncDetail(localStatus('w'), now)).toBeNull();
  });
  it('counts changes not yet on the relay before anything else', () => {
    expect(syncDetail(status({ pendingChanges: 1, lastSyncedAt: '2026-11-22T09:58:00.000Z' }), now)).toBe('1 change not yet synced');
    expect(syncDetail(status({ pendingChanges: 3 }), now)).toBe('3 changes not yet synced');
  });
  it('says when it last synced', () => {
    expect(syncDetail(status({ lastSyncedAt: '2026-11-22T09:58:00.000Z' }), now)).toBe('synced 2 min ago');
    expect(syncDetail(status({ lastSyncedAt: '2026-11-22T09:59:50.000Z' }), now)).toBe('synced just now');
    expect(syncDetail(status({ state: 'offline' }), now)).toBe('not synced yet');
  });
});

describe('isSyncMissing', () => {
  it('recognises a core without the sync namespace, and only that', () => {
    expect(isSyncMissing(new ApiError('NOT_FOUND', 'Unknown method "sync.status"'))).toBe(true);
    expect(isSyncMissing(new ApiError('NOT_FOUND', 'No workspace with id x'))).toBe(false);
    expect(isSyncMissing(new Error('Unknown method'))).toBe(false);
  });
});
