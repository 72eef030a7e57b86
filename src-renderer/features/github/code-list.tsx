import type { CodeRow } from './code-rows';
import { StateChip } from './state-chip';
import { TaskChips } from './task-chips';

/**
 * One titled list of code rows (a repo's pull requests, a task's commits…): each row its state
 * in words, its facts, the tasks it mentions and "Open on GitHub" (a link: the desktop window
 * hands http(s) links to the browser, the web host opens a tab). Empty, it says so.
 */
export function CodeList({ label, rows, empty, showTasks = true }: { label: string; rows: CodeRow[]; empty: string; showTasks?: boolean }) {
  return (
    <section className="code-list" aria-label={label}>
      <h4 className="code-list-title">
        {label} <span className="code-list-count">{rows.length}</span>
      </h4>
      {rows.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <ul aria-label={label}>
          {rows.map((row) => (
            <li key={row.id} className="code-row">
              <div className="code-row-main">
                <span className="code-row-title">
                  {row.prefix && <span className="code-row-prefix">{row.prefix}</span>} {row.title}
                </span>
                {row.chips.map((chip) => (
                  <StateChip key={chip.label} tone={chip.tone} label={chip.label} />
                ))}
              </div>
              <div className="code-row-meta">
                {row.facts.length > 0 && <span className="code-row-facts">{row.facts.join(' · ')}</span>}
                {showTasks && <TaskChips taskIds={row.taskIds} />}
                {row.url && (
                  <a className="code-row-link" href={row.url} target="_blank" rel="noreferrer" aria-label={`Open on GitHub: ${row.prefix ? `${row.prefix} ` : ''}${row.title}`}>
                    Open on GitHub
                  </a>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
