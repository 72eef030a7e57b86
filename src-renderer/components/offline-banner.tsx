import { useSyncExternalStore } from 'react';
import { getStatus, onStatus } from '../api/connection';

export function useConnectionStatus() {
  return useSyncExternalStore(onStatus, getStatus);
}

export function OfflineBanner() {
  const status = useConnectionStatus();
  if (status === 'unauthorized') {
    return (
      <div className="offline-banner" role="alert">
        This tab’s access token is not valid for this Groundwork — open the link <code>npm start</code> printed.
      </div>
    );
  }
  if (status !== 'offline') return null;
  return (
    <div className="offline-banner" role="alert">
      Offline from core — changes can’t be saved. Reconnecting…
    </div>
  );
}
