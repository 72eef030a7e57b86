/**
 * The theme: the person's choice (system, light, dark), applied at once as `data-theme` on
 * <html> (styles.css keys its dark colours on it) and remembered in the core's local
 * preferences. "system" follows the OS, also when it changes while the app is open.
 */
import { create } from 'zustand';
import { api } from '../../api/connection';

export const themeChoices = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof themeChoices)[number];
export const themeLabels: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

const osDark = matchMedia('(prefers-color-scheme: dark)');

function apply(choice: ThemeChoice) {
  document.documentElement.dataset.theme = choice === 'system' ? (osDark.matches ? 'dark' : 'light') : choice;
}

export const useTheme = create<{ choice: ThemeChoice }>()(() => ({ choice: 'system' }));

/** Applies "system" before the first paint, then the stored choice once the core answers. */
export function startTheme(): void {
  apply('system');
  osDark.addEventListener('change', () => apply(useTheme.getState().choice));
  useTheme.subscribe(({ choice }) => apply(choice));
}

export async function loadTheme(): Promise<void> {
  const stored = await api.preferences.get({ key: 'theme' });
  if (themeChoices.includes(stored as ThemeChoice)) useTheme.setState({ choice: stored as ThemeChoice });
}

export async function chooseTheme(choice: ThemeChoice): Promise<void> {
  useTheme.setState({ choice });
  await api.preferences.set({ key: 'theme', value: choice });
}
