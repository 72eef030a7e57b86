/** The stage and priority pickers, shared by the new-task dialog and the task detail panel. */
import { priorities, type Priority, type Stage } from '../../../src-main/contract';
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
