import { Dialog } from '../../components/dialog';
import { isMacPlatform, keyLabel, shortcutGroups, shortcuts } from './shortcut-list';

/** Every shortcut, by group, from the one list the dispatcher and the command palette read too. */
export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const isMac = isMacPlatform();
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} textOnly>
      {shortcutGroups.map((group) => (
        <section key={group} className="shortcut-group" aria-label={group}>
          <h3>{group}</h3>
          <dl className="shortcuts">
            {shortcuts
              .filter((s) => s.group === group)
              .map((s) => (
                <div key={s.id} className="shortcut-row">
                  <dt>
                    <ShortcutKeys keys={s.keys} isMac={isMac} />
                  </dt>
                  <dd>{s.label}</dd>
                </div>
              ))}
          </dl>
        </section>
      ))}
    </Dialog>
  );
}

/** `⌘ K`, or `J` / `↓` for a shortcut with several keys. */
export function ShortcutKeys({ keys, isMac }: { keys: readonly string[]; isMac: boolean }) {
  return (
    <span className="shortcut-keys">
      {keys.map((key, i) => (
        <span key={key}>
          {i > 0 && <span className="shortcut-or"> / </span>}
          {keyLabel(key, isMac)
            .split(' ')
            .map((part) => (
              <kbd key={part}>{part}</kbd>
            ))}
        </span>
      ))}
    </span>
  );
}
