import { describe, expect, it } from 'vitest';
import { labelColor } from './label-chip';

describe('labelColor', () => {
  it('is derived from the text alone: the same label, the same colour; different labels, different hues', () => {
    expect(labelColor('bug')).toBe(labelColor('bug'));
    expect(labelColor('Bug ')).toBe(labelColor('bug'));
    const hues = new Set(['bug', 'design', 'copy', 'backend', 'frontend'].map(labelColor));
    expect(hues.size).toBe(5);
    expect(labelColor('bug')).toMatch(/^hsl\(\d{1,3} 65% 50%\)$/);
  });
});
