/**
 * The renderer's one store, built from slices (zustand's slices pattern) so each concern stays in
 * its own file while actions can still reach across (a workspace switch resets project state).
 */
import { create } from 'zustand';
import { createBoardSlice, type BoardSlice } from './board-slice';
import { createGithubSlice, type GithubSlice } from './github-slice';
import { createJobsSlice, type JobsSlice } from './jobs-slice';
import { createProjectsSlice, type ProjectsSlice } from './projects-slice';
import { createSyncSlice, type SyncSlice } from './sync-slice';
import { createUiSlice, type UiSlice } from './ui-slice';
import { createWorkspacesSlice, type WorkspacesSlice } from './workspaces-slice';

export type AppState = WorkspacesSlice & ProjectsSlice & BoardSlice & SyncSlice & UiSlice & JobsSlice & GithubSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createWorkspacesSlice(...a),
  ...createProjectsSlice(...a),
  ...createBoardSlice(...a),
  ...createSyncSlice(...a),
  ...createUiSlice(...a),
  ...createJobsSlice(...a),
  ...createGithubSlice(...a),
}));
