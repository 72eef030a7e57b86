/**
 * Which Y.Doc holds what. A workspace has one workspace doc (its name, the projects index with
 * every project's fields, the members) and one doc per project (its stages and tasks). Rooms are
 * named `<workspaceId>/<docId>` — the same name the relay uses.
 */
export const WORKSPACE_DOC = 'workspace';

export type DocKind = 'workspace' | 'project';

export interface Room {
  name: string;
  workspaceId: string;
  kind: DocKind;
  /** The project's id for a project doc; null for the workspace doc. */
  projectId: string | null;
}

export function workspaceRoom(workspaceId: string): Room {
  return { name: `${workspaceId}/${WORKSPACE_DOC}`, workspaceId, kind: 'workspace', projectId: null };
}

export function projectRoom(workspaceId: string, projectId: string): Room {
  return { name: `${workspaceId}/${projectId}`, workspaceId, kind: 'project', projectId };
}

export function parseRoom(name: string): Room {
  const [workspaceId, docId, extra] = name.split('/');
  if (!workspaceId || !docId || extra !== undefined) throw new Error(`Not a room name: ${name}`);
  return docId === WORKSPACE_DOC ? workspaceRoom(workspaceId) : projectRoom(workspaceId, docId);
}
