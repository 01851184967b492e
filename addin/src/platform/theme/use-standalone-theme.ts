import { useCallback, useEffect, useState } from 'react';
import { parseThemeParam, standaloneTheme, type ThemeName } from './theme-name';

function mediaMatches(query: string): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
}

function readOverride(): ThemeName | null {
  return parseThemeParam(new URLSearchParams(window.location.search).get('theme'));
}

/**
 * Theme outside Teams: the `?theme=` query wins (so a link or screenshot can pin a theme),
 * otherwise follow the OS and keep following it live. Choosing a theme writes it to the URL.
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
    const url = new URL(window.location.href);
    url.searchParams.set('theme', next);
    window.history.replaceState(window.history.state, '', url);
    setTheme(next);
  }, []);

  return [theme, choose];
}
