/** The stage, priority and assignee pickers, shared by the new-task dialog and the task detail panel. */
import { priorities, type Member, type Priority, type Stage } from '../../../src-main/contract';
import { textColorOn } from '../../components/avatar';
import { priorityLabels } from '../../components/format';

export function StageSelect({ stages, value, onChange }: { stages: readonly Stage[]; value: string; onChange(stageId: string): void }) {
  return (
    <label className="field">
      <span>Stage</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {stages.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function PrioritySelect({ value, onChange }: { value: Priority; onChange(priority: Priority): void }) {
  return (
    <label className="field">
      <span>Priority</span>
      <select value={value} onChange={(e) => onChange(e.target.value as Priority)}>
        {priorities.map((p) => (
          <option key={p} value={p}>
            {priorityLabels[p]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function AssigneeCheckboxes({ members, value, onChange }: { members: readonly Member[]; value: readonly string[]; onChange(assigneeIds: string[]): void }) {
  return (
    <fieldset className="field">
      <legend>Assignees</legend>
      <div className="assignee-options">
        {members.map((m) => {
          const checked = value.includes(m.id);
          return (
            <label key={m.id} className="assignee-option">
              <input type="checkbox" checked={checked} onChange={() => onChange(checked ? value.filter((id) => id !== m.id) : [...value, m.id])} />
              <span className="avatar" style={{ background: m.color, color: textColorOn(m.color) }} aria-hidden="true">
                {m.name[0]?.toUpperCase()}
              </span>
              {m.name}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
