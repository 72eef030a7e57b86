import { useMemo } from 'react';
import type { Peer } from '../../../src-main/contract';
import { Avatar } from '../../components/avatar';
import { useAppStore } from '../../store/app-store';

const EMPTY: Peer[] = [];

/** Teammates looking at the same project (`taskId` omitted) or the same task right now. */
function usePeersViewing(projectId: string, taskId?: string): Peer[] {
  const peers = useAppStore((s) => (s.peers.length ? s.peers : EMPTY));
  return useMemo(() => {
    const seen = new Set<number>();
    return peers.filter((p) => {
      if (seen.has(p.clientId)) return false;
      seen.add(p.clientId);
      return taskId === undefined ? p.projectId === projectId : p.taskId === taskId;
    });
  }, [peers, projectId, taskId]);
}

/** "Ben is viewing", "Ben and Ana are viewing", "Ben, Ana and 2 others are viewing". */
export function viewingSentence(peers: Peer[]): string {
  const names = peers.map((p) => p.name);
  if (names.length === 1) return `${names[0]} is viewing`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are viewing`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are viewing`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} others are viewing`;
}

const MAX_SHOWN = 4;

/** A group labelled "Also viewing": avatars, and in the task panel, who it is in words. */
export function PresenceAvatars({ projectId, taskId, withText }: { projectId: string; taskId?: string; withText?: boolean }) {
  const peers = usePeersViewing(projectId, taskId);
  if (peers.length === 0) return null;
  const sentence = viewingSentence(peers);
  return (
    <div className="presence" role="group" aria-label="Also viewing" title={sentence}>
      <span className="avatars presence-avatars">
        {peers.slice(0, MAX_SHOWN).map((peer) => (
          <Avatar key={peer.clientId} member={peer} size={22} />
        ))}
        {peers.length > MAX_SHOWN && (
          <span className="avatar avatar-more" role="img" aria-label={`and ${peers.length - MAX_SHOWN} more`}>
            +{peers.length - MAX_SHOWN}
          </span>
        )}
      </span>
      {withText && <span className="presence-text">{sentence}</span>}
    </div>
  );
}
