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
      style={{ background: member.color, color: textColorOn(member.color), width: size, height: size, fontSize: size * 0.45 }}
    >
      {initials(member.name)}
    </span>
  );
}

/** Relative luminance of a #rrggbb colour (WCAG 2), or null for anything else. */
function luminance(hex: string): number | null {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return null;
  const [r, g, b] = match.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * White or black initials, whichever contrasts more with the member's colour: white fails WCAG AA
 * on most of the palette's bright colours (amber, emerald, pink, blue).
 */
export function textColorOn(background: string): string | undefined {
  const l = luminance(background);
  if (l === null) return undefined;
  const onWhite = 1.05 / (l + 0.05);
  const onBlack = (l + 0.05) / 0.05;
  return onWhite >= onBlack ? '#ffffff' : '#000000';
}
