import { selectCanEdit } from '../../store/sync-slice';
import { useAppStore } from '../../store/app-store';

/** Shown wherever edit controls would be, when this machine's role in the workspace is viewer. */
export function ViewOnlyBadge() {
  const canEdit = useAppStore(selectCanEdit);
  if (canEdit) return null;
  return (
    <span className="view-only-badge" title="Your role in this workspace is viewer: you can see everything but not change it.">
      View only
    </span>
  );
}
