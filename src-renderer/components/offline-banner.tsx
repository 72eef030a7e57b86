import { useSyncExternalStore } from 'react';
import { getStatus, onStatus } from '../api/connection';

export function useConnectionStatus() {
  return useSyncExternalStore(onStatus, getStatus);
}

export function OfflineBanner() {
  const status = useConnectionStatus();
  if (status !== 'offline') return null;
  return (
    <div className="offline-banner" role="alert">
      Offline from core — changes can’t be saved. Reconnecting…
    </div>
  );
}
