import type { Member } from '../../src-main/contract';

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

/** A member, or anyone with a name and a colour (a teammate's presence). */
export function Avatar({ member, size = 20 }: { member: Pick<Member, 'name' | 'color'>; size?: number }) {
  return (
    <span
      className="avatar"
      title={member.name}
      aria-label={member.name}
      role="img"
      style={{ background: member.color, width: size, height: size, fontSize: size * 0.45 }}
    >
      {initials(member.name)}
    </span>
  );
}
