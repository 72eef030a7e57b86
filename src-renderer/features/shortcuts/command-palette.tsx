import { Command } from 'cmdk';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';

/** Cmd/Ctrl+K: jump to a project or run an action without leaving the keyboard. */
export function CommandPalette() {
  const open = useAppStore((s) => s.paletteOpen);
  const setOpen = useAppStore((s) => s.setPaletteOpen);
  const projects = useAppStore((s) => s.projects);
  const workspaces = useAppStore((s) => s.workspaces);
  const currentWorkspaceId = useAppStore((s) => s.currentWorkspaceId);
  const selectedProjectId = useAppStore((s) => s.selectedProjectId);
  const canEdit = useAppStore(selectCanEdit);
  const store = useAppStore.getState;

  const run = (action: () => void) => () => {
    setOpen(false);
    action();
  };

  return (
    <Command.Dialog open={open} onOpenChange={setOpen} label="Command palette" className="palette" overlayClassName="palette-overlay">
      <Command.Input placeholder="Type a command or search projects…" aria-label="Command" />
      <Command.List>
        <Command.Empty>No results.</Command.Empty>
        <Command.Group heading="Actions">
          {canEdit && <Command.Item onSelect={run(() => store().setProjectDialog({ mode: 'create' }))}>New project</Command.Item>}
          {selectedProjectId && (
            <>
              {canEdit && <Command.Item onSelect={run(() => store().setNewTaskOpen(true))}>New task</Command.Item>}
              <Command.Item onSelect={run(() => store().setView('board'))}>Show board</Command.Item>
              <Command.Item onSelect={run(() => store().setView('list'))}>Show list</Command.Item>
            </>
          )}
          <Command.Item onSelect={run(() => store().openSettings('profile'))}>Settings</Command.Item>
          <Command.Item onSelect={run(() => store().openSettings('team-sync'))}>Team sync</Command.Item>
          <Command.Item onSelect={run(() => store().setShortcutsOpen(true))}>Keyboard shortcuts</Command.Item>
        </Command.Group>
        <Command.Group heading="Projects">
          {projects.map((p) => (
            <Command.Item key={p.id} value={`project ${p.name} ${p.key}`} onSelect={run(() => store().selectProject(p.id))}>
              <span className="project-dot" style={{ background: p.color }} aria-hidden="true" />
              {p.name}
              <span className="palette-hint">{p.key}</span>
            </Command.Item>
          ))}
        </Command.Group>
        {workspaces.length > 1 && (
          <Command.Group heading="Switch workspace">
            {workspaces
              .filter((w) => w.id !== currentWorkspaceId)
              .map((w) => (
                <Command.Item key={w.id} value={`workspace ${w.name}`} onSelect={run(() => store().switchWorkspace(w.id).catch(toastError))}>
                  {w.name}
                </Command.Item>
              ))}
          </Command.Group>
        )}
      </Command.List>
    </Command.Dialog>
  );
}
