import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startConnection } from './api/connection';
import { toastError } from './components/toasts';
import { loadTheme, startTheme } from './features/profile/theme';
import { AppShell } from './features/shell/app-shell';
import { useAppStore } from './store/app-store';
import { refreshAll, startLiveUpdates } from './store/live-updates';
import './styles.css';

startTheme();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppShell />
  </StrictMode>,
);

// Render first (a splash), then connect: the window is never blank while the core starts.
startLiveUpdates();
startConnection()
  .then(() => Promise.all([refreshAll(), loadTheme()]))
  .then(() => {
    // A project in the URL that no longer exists (deleted elsewhere) falls back to the overview.
    const { selectedProjectId, projects, selectProject } = useAppStore.getState();
    if (selectedProjectId && !projects.some((p) => p.id === selectedProjectId)) selectProject(null);
  })
  .catch(toastError);
