import { describe, expect, it } from 'vitest';
import { projectKey, suggestProjectKey } from '../../contract';

describe('suggestProjectKey (the core and the New project dialog both use it)', () => {
  it('suggests initials or first letters, always a valid key', () => {
    expect(suggestProjectKey('Website Redesign')).toBe('WR');
    expect(suggestProjectKey('Website')).toBe('WEB');
    expect(suggestProjectKey('2025 Q3 launch')).toBe('QL');
    for (const name of ['2025', '…', 'x', 'Ünïcödé', '']) expect(projectKey.safeParse(suggestProjectKey(name)).success, name).toBe(true);
  });

  it('suggests a key no other project of the workspace uses', () => {
    const taken = new Set(['WEB', 'WEB2']);
    expect(suggestProjectKey('Website', (key) => taken.has(key))).toBe('WEB3');
  });
});
