import { useEffect, useState } from 'react';
import { api, onReconnected } from '../../api/connection';
import { useAppStore } from '../../store/app-store';

const DEBOUNCE_MS = 300;

/**
 * Tells the core what this window is looking at (workspace, project, task), so teammates see it as
 * presence. Debounced: flicking through cards sends one update, not one per card. Best effort —
 * presence that fails to send is not worth interrupting anyone for.
 */
export function usePresenceReporter(): void {
  const workspaceId = useAppStore((s) => s.currentWorkspaceId);
  const projectId = useAppStore((s) => s.selectedProjectId);
  const taskId = useAppStore((s) => s.openTaskId);
  // Only a shared workspace has anyone to tell; re-send when it becomes shared (publish, reconnect).
  const shared = useAppStore((s) => s.syncStatus !== null && s.syncStatus.state !== 'local' && s.syncStatus.workspaceId === s.currentWorkspaceId);
  // Presence belongs to a connection (it ends when the tab's socket closes): a new one says it again.
  const [connection, setConnection] = useState(0);
  useEffect(() => onReconnected(() => setConnection((n) => n + 1)), []);

  useEffect(() => {
    if (!workspaceId || !shared) return;
    const timer = setTimeout(() => {
      api.sync.setPresence({ workspaceId, projectId, taskId }).catch(() => undefined);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [workspaceId, projectId, taskId, shared, connection]);
}
