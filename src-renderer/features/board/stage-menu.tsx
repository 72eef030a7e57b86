import { useRef, useState } from 'react';
import type { Stage } from '../../../src-main/contract';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { toastError } from '../../components/toasts';
import { useDismiss } from '../../components/use-dismiss';
import { useAppStore } from '../../store/app-store';

export function StageMenu({ stage, stages, onRename }: { stage: Stage; stages: Stage[]; onRename(): void }) {
  const [open, setOpen] = useState(false);
  const [removing, setRemoving] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const moveStage = useAppStore((s) => s.moveStage);
  const index = stages.findIndex((s) => s.id === stage.id);
  const move = (direction: -1 | 1) => {
    setOpen(false);
    moveStage(stage, direction).catch(toastError);
  };

  useDismiss(open, rootRef, setOpen);

  return (
    <div className="stage-menu" ref={rootRef}>
      <button type="button" className="icon-button" aria-label={`Stage options for ${stage.name}`} aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        ⋯
      </button>
      {open && (
        <div className="popover popover-right" role="menu" aria-label={`${stage.name} options`}>
          <button type="button" role="menuitem" className="menu-item" onClick={() => (setOpen(false), onRename())}>
            Rename stage
          </button>
          <button type="button" role="menuitem" className="menu-item" disabled={index <= 0} onClick={() => move(-1)}>
            Move left
          </button>
          <button type="button" role="menuitem" className="menu-item" disabled={index >= stages.length - 1} onClick={() => move(1)}>
            Move right
          </button>
          <button
            type="button"
            role="menuitem"
            className="menu-item menu-item-danger"
            disabled={stages.length < 2}
            title={stages.length < 2 ? 'A project needs at least one stage' : undefined}
            onClick={() => (setOpen(false), setRemoving(true))}
          >
            Remove stage…
          </button>
        </div>
      )}
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
