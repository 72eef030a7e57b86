import { Dialog } from '../../components/dialog';

const isMac = (window.groundwork?.platform ?? navigator.platform).toLowerCase().startsWith('mac') || navigator.platform.startsWith('Mac');
const mod = isMac ? '⌘' : 'Ctrl';

const shortcuts: [string, string][] = [
  ['C', 'New task'],
  ['B', 'Board view'],
  ['L', 'List view'],
  [`${mod} K`, 'Command palette'],
  ['Esc', 'Close panel or dialog'],
  ['?', 'Show this list'],
  ['Space', 'Pick up / drop a focused card'],
  ['← ↑ → ↓', 'Move a picked-up card'],
  ['Enter', 'Open the focused card or row'],
];

export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <dl className="shortcuts">
        {shortcuts.map(([keys, what]) => (
          <div key={what} className="shortcut-row">
            <dt>
              {keys.split(' ').map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
