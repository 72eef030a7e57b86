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

/**
 * This window's copy of the choice, read before the first paint so a dark choice does not flash
 * light while the core starts. The core's preference stays the truth (it outlives the browser's
 * storage, e.g. a new browser on the web host).
 */
const cachedChoice = 'groundwork:theme';

/** Applies the last known choice before the first paint, then the stored one once the core answers. */
export function startTheme(): void {
  const cached = localStorage.getItem(cachedChoice) as ThemeChoice | null;
  if (cached && themeChoices.includes(cached)) useTheme.setState({ choice: cached });
  apply(useTheme.getState().choice);
  osDark.addEventListener('change', () => apply(useTheme.getState().choice));
  useTheme.subscribe(({ choice }) => {
    apply(choice);
    localStorage.setItem(cachedChoice, choice);
  });
}

export async function loadTheme(): Promise<void> {
  const stored = await api.preferences.get({ key: 'theme' });
  if (themeChoices.includes(stored as ThemeChoice)) useTheme.setState({ choice: stored as ThemeChoice });
}

export async function chooseTheme(choice: ThemeChoice): Promise<void> {
  useTheme.setState({ choice });
  await api.preferences.set({ key: 'theme', value: choice });
}
