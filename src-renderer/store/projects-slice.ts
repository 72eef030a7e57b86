import type { StateCreator } from 'zustand';
import type { InputOf, Project } from '../../src-main/contract';
import { api } from '../api/connection';
import type { AppState } from './app-store';

export type ProjectCreateInput = InputOf<'projects', 'create'>;
export type ProjectUpdateInput = InputOf<'projects', 'update'>;

export interface ProjectsSlice {
  projectsLoaded: boolean;
  /** Active and archived projects of the current workspace, in the core's order (favorites first). */
  projects: Project[];
  loadProjects(): Promise<void>;
  createProject(input: Omit<ProjectCreateInput, 'workspaceId'>): Promise<Project>;
  updateProject(input: ProjectUpdateInput): Promise<Project>;
  setFavorite(id: string, favorite: boolean): Promise<void>;
  archiveProject(id: string, archived: boolean): Promise<void>;
  deleteProject(id: string): Promise<void>;
  /** Forget everything project-scoped (on workspace switch). */
  resetProjectState(): void;
}

export const createProjectsSlice: StateCreator<AppState, [], [], ProjectsSlice> = (set, get) => {
  const replace = (project: Project) => set({ projects: get().projects.map((p) => (p.id === project.id ? project : p)) });
  return {
    projectsLoaded: false,
    projects: [],

    async loadProjects() {
      const workspaceId = get().currentWorkspaceId;
      if (!workspaceId) return set({ projects: [], projectsLoaded: true });
      const projects = await api.projects.list({ workspaceId, includeArchived: true });
      // A list from a workspace we already left must not overwrite the new one's.
      if (get().currentWorkspaceId === workspaceId) set({ projects, projectsLoaded: true });
    },
    async createProject(input) {
      const workspaceId = get().currentWorkspaceId;
      if (!workspaceId) throw new Error('Create a workspace first');
      const project = await api.projects.create({ ...input, workspaceId });
      await get().loadProjects();
      return project;
    },
    async updateProject(input) {
      const project = await api.projects.update(input);
      replace(project);
      return project;
    },
    async setFavorite(id, favorite) {
      replace(await api.projects.setFavorite({ id, favorite }));
      await get().loadProjects(); // favorites sort first: the core owns the order
    },
    async archiveProject(id, archived) {
      replace(archived ? await api.projects.archive({ id }) : await api.projects.unarchive({ id }));
    },
    async deleteProject(id) {
      await api.projects.delete({ id });
      set({ projects: get().projects.filter((p) => p.id !== id) });
      get().forgetProject(id);
      if (get().selectedProjectId === id) get().selectProject(null);
    },
    resetProjectState() {
      set({ projects: [], projectsLoaded: false, stagesByProject: {}, tasksByProject: {}, openTaskId: null });
      get().selectProject(null);
    },
  };
};
