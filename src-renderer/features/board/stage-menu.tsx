import { useState } from 'react';
import type { Stage } from '../../../src-main/contract';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { toastError } from '../../components/toasts';
import { MenuButton } from '../../components/menu-button';
import { useAppStore } from '../../store/app-store';

export function StageMenu({ stage, stages, onRename }: { stage: Stage; stages: Stage[]; onRename(): void }) {
  const [removing, setRemoving] = useState(false);
  const moveStage = useAppStore((s) => s.moveStage);
  const index = stages.findIndex((s) => s.id === stage.id);
  const move = (direction: -1 | 1) => moveStage(stage, direction).catch(toastError);

  return (
    <div className="stage-menu">
      <MenuButton
        label={`Stage options for ${stage.name}`}
        items={[
          { label: 'Rename stage', onSelect: onRename },
          { label: 'Move left', disabled: index <= 0, onSelect: () => move(-1) },
          { label: 'Move right', disabled: index >= stages.length - 1, onSelect: () => move(1) },
          {
            label: 'Remove stage…',
            danger: true,
            disabled: stages.length < 2,
            title: stages.length < 2 ? 'A project needs at least one stage' : undefined,
            onSelect: () => setRemoving(true),
          },
        ]}
      />
      {removing && <RemoveStageDialog stage={stage} stages={stages} onClose={() => setRemoving(false)} />}
    </div>
  );
}

/** Removing a stage never drops tasks: the user picks which stage receives them. */
function RemoveStageDialog({ stage, stages, onClose }: { stage: Stage; stages: Stage[]; onClose(): void }) {
  const removeStage = useAppStore((s) => s.removeStage);
  const others = stages.filter((s) => s.id !== stage.id);
  const [target, setTarget] = useState(others[0]?.id ?? '');
  return (
    <ConfirmDialog title={`Remove stage “${stage.name}”?`} confirmLabel="Remove stage" danger onConfirm={() => removeStage(stage, target)} onClose={onClose}>
      <label className="field">
        <span>Move its tasks to</span>
        <select value={target} onChange={(e) => setTarget(e.target.value)}>
          {others.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
    </ConfirmDialog>
  );
}
