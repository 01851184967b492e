import { useCallback, useEffect, useState } from 'react';
import { parseThemeParam, standaloneTheme, type ThemeName } from './theme-name';

/** Where the theme chosen in the menu is kept, so a reload or a deep link opens in it. */
export const themeStorageKey = 'account-engagement.theme';

function mediaMatches(query: string): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage can be blocked (privacy settings, some webviews): the choice then lasts for the page.
    return null;
  }
}

function readOverride(): ThemeName | null {
  return parseThemeParam(new URLSearchParams(window.location.search).get('theme')) ?? parseThemeParam(storage()?.getItem(themeStorageKey));
}

/**
 * Theme outside Teams (inside Teams the host's theme always wins and this is not used): a
 * `?theme=` in the link wins (a link or screenshot can pin one), then the theme last chosen in
 * the menu, then the OS, followed live. Choosing a theme remembers it on this device and drops
 * a `?theme=` from the address so the choice is what a reload shows.
 */
export function useStandaloneTheme(): [ThemeName, (next: ThemeName) => void] {
  const compute = () =>
    standaloneTheme({
      override: readOverride(),
      prefersDark: mediaMatches('(prefers-color-scheme: dark)'),
      forcedColors: mediaMatches('(forced-colors: active)'),
    });
  const [theme, setTheme] = useState<ThemeName>(compute);

  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const queries = [window.matchMedia('(prefers-color-scheme: dark)'), window.matchMedia('(forced-colors: active)')];
    const onChange = () => setTheme(compute());
    queries.forEach((q) => q.addEventListener('change', onChange));
    window.addEventListener('popstate', onChange);
    return () => {
      queries.forEach((q) => q.removeEventListener('change', onChange));
      window.removeEventListener('popstate', onChange);
    };
  }, []);

  const choose = useCallback((next: ThemeName) => {
    try {
      storage()?.setItem(themeStorageKey, next);
    } catch {
      // Full or blocked storage: the choice still applies until the page is left.
    }
    const url = new URL(window.location.href);
    if (url.searchParams.has('theme')) {
      url.searchParams.delete('theme');
      window.history.replaceState(window.history.state, '', url);
    }
    setTheme(next);
  }, []);

  return [theme, choose];
}
