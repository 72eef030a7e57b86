import { useCallback, useEffect, useId, useState } from 'react';
import type { Role, TeamInvite, TeamMember } from '../../../src-main/contract';
import { Avatar } from '../../components/avatar';
import { formatAgo } from '../../components/format';
import { toastInfo } from '../../components/toasts';
import { useNow } from '../../components/use-now';
import { api } from '../../api/connection';

const shortRole: Record<Role, string> = { owner: 'Owner', admin: 'Admin', member: 'Member', viewer: 'Viewer' };

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Settings → Team sync: everyone in the workspace, their role and when they were last connected. */
export function TeamMembersSection({ workspaceId }: { workspaceId: string }) {
  const headingId = useId();
  const now = useNow();
  const [members, setMembers] = useState<TeamMember[] | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let current = true;
    api.sync.members({ workspaceId }).then(
      (list) => current && setMembers(list),
      (e: unknown) => current && setError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [workspaceId]);

  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="section-heading">
        Members
      </h3>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : !members ? (
        <p className="hint">Asking the relay…</p>
      ) : (
        <ul className="team-list" aria-labelledby={headingId}>
          {members.map((m) => (
            <li key={m.id} className="team-row">
              <Avatar member={m} size={24} />
              <span className="team-name">
                {m.name}
                {m.isYou && <span className="hint"> (you)</span>}
              </span>
              <span className="team-role">{m.role ? shortRole[m.role] : 'Role unknown'}</span>
              <span className="hint team-seen">{m.isYou ? 'this computer' : m.lastSeenAt ? `last seen ${formatAgo(m.lastSeenAt, now)}` : 'not seen yet'}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What an invite is now: revoked, used by someone, expired, or waiting. */
function inviteState(invite: TeamInvite, now: number): string {
  if (invite.revokedAt) return `revoked ${formatAgo(invite.revokedAt, now)}`;
  if (invite.expiresAt && new Date(invite.expiresAt).getTime() <= now) return 'expired';
  if (invite.memberName) return `joined as ${invite.memberName}${invite.lastSeenAt ? `, last seen ${formatAgo(invite.lastSeenAt, now)}` : ''}`;
  return 'not used yet';
}

/** Owners and admins: the invites they handed out, each revocable (its holder is disconnected at once). */
export function TeamInvitesSection({ workspaceId, refreshKey }: { workspaceId: string; refreshKey: number }) {
  const headingId = useId();
  const now = useNow();
  const [invites, setInvites] = useState<TeamInvite[] | null>(null);
  const [error, setError] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = useCallback(() => {
    api.sync.invites({ workspaceId }).then(setInvites, (e: unknown) => setError(errorText(e)));
  }, [workspaceId]);
  useEffect(load, [load, refreshKey]);

  const revoke = async (invite: TeamInvite) => {
    setError('');
    try {
      setInvites(await api.sync.revokeInvite({ workspaceId, inviteId: invite.id }));
      setConfirming(null);
      toastInfo(`Invite ${labelOf(invite)} revoked`);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="section-heading">
        Invites
      </h3>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!invites ? (
        !error && <p className="hint">Asking the relay…</p>
      ) : invites.length === 0 ? (
        <p className="hint">No invites yet.</p>
      ) : (
        <ul className="team-list" aria-labelledby={headingId}>
          {invites.map((invite) => (
            <li key={invite.id} className="team-row">
              <span className="team-name">{labelOf(invite)}</span>
              <span className="team-role">{shortRole[invite.role]}</span>
              <span className="hint team-seen">{inviteState(invite, now)}</span>
              {!invite.revokedAt &&
                (confirming === invite.id ? (
                  <span className="team-confirm" role="group" aria-label={`Revoke invite ${labelOf(invite)}?`}>
                    <button type="button" className="button button-danger" onClick={() => void revoke(invite)}>
                      Revoke access
                    </button>
                    <button type="button" className="button" onClick={() => setConfirming(null)}>
                      Cancel
                    </button>
                  </span>
                ) : (
                  <button type="button" className="button button-danger-ghost" aria-label={`Revoke invite ${labelOf(invite)}`} onClick={() => setConfirming(invite.id)}>
                    Revoke…
                  </button>
                ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const labelOf = (invite: TeamInvite) => (invite.name ? `“${invite.name}”` : `from ${new Date(invite.createdAt).toLocaleDateString()}`);
