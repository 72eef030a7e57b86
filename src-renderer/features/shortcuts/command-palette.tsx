import { Command } from 'cmdk';
import { toastError } from '../../components/toasts';
import { useAppStore } from '../../store/app-store';
import { selectCanEdit } from '../../store/sync-slice';
import { isMacPlatform, shortcuts, type ShortcutId } from './shortcut-list';
import { ShortcutKeys } from './shortcuts-dialog';
import { runShortcut } from './use-global-shortcuts';

const paletteShortcuts = shortcuts.filter((s) => s.inPalette);
const isMac = isMacPlatform();

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

  // Each action of the palette is a shortcut of the one list, shown with its keys.
  const available: Partial<Record<ShortcutId, boolean>> = {
    newProject: canEdit,
    newTask: canEdit && Boolean(selectedProjectId),
    showBoard: Boolean(selectedProjectId),
    showList: Boolean(selectedProjectId),
    showTrash: Boolean(selectedProjectId),
  };
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
          {paletteShortcuts
            .filter((s) => available[s.id] !== false)
            .map((s) => (
              <Command.Item key={s.id} value={s.label} onSelect={run(() => runShortcut(s.id))}>
                {s.label}
                <span className="palette-shortcut">
                  <ShortcutKeys keys={s.keys} isMac={isMac} />
                </span>
              </Command.Item>
            ))}
        </Command.Group>
        <Command.Group heading="Go to">
          <Command.Item value="go to jobs scheduled audits checks" onSelect={run(() => store().openJobs())}>
            Jobs
            <span className="palette-hint">scheduled work and its runs</span>
          </Command.Item>
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
