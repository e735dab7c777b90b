// Light or dark: the system's preference until the presenter picks one (kept in localStorage).
import { useState } from 'preact/hooks';

const KEY = 'snyk-mock.theme';
type Theme = 'light' | 'dark';

const systemTheme = (): Theme => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');

/** Applies the stored choice before the first render, so the page does not flash the other theme. */
export function applyStoredTheme(): void {
  const stored = localStorage.getItem(KEY);
  if (stored === 'light' || stored === 'dark') document.documentElement.dataset.theme = stored;
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => (document.documentElement.dataset.theme as Theme | undefined) ?? systemTheme());
  const toggle = () => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    localStorage.setItem(KEY, next);
    setTheme(next);
  };
  return (
    <button type="button" class="theme-toggle" aria-pressed={theme === 'dark'} onClick={toggle}>
      Dark theme
    </button>
  );
}
