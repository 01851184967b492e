import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { parsePageParam, urlForPage, type PageId, type PageParams } from './page-id';

interface Navigation {
  page: PageId;
  /** `params` sets (string) or removes (null) other query parameters, e.g. an id to edit. */
  navigate(page: PageId, params?: PageParams): void;
  /** Increases on every in-app navigation; 0 means the page came from the initial URL. */
  focusToken: number;
}

const NavigationContext = createContext<Navigation | null>(null);

function pageFromLocation(): PageId {
  return parsePageParam(new URLSearchParams(window.location.search).get('page'));
}

/**
 * Current page, kept in `?page=` so the browser's back button and Teams deep links work.
 * Back/forward also move focus to the heading, like a click on the tab would.
 */
export function NavigationProvider({ children }: { children: ReactNode }) {
  const [page, setPage] = useState<PageId>(pageFromLocation);
  const [focusToken, setFocusToken] = useState(0);

  useEffect(() => {
    const onPop = () => {
      setPage(pageFromLocation());
      setFocusToken((n) => n + 1);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((next: PageId, params?: PageParams) => {
    const url = urlForPage(window.location.href, next, params);
    if (next !== pageFromLocation() || (params && url !== window.location.href)) {
      window.history.pushState(window.history.state, '', url);
    }
    setPage(next);
    setFocusToken((n) => n + 1);
  }, []);

  const value = useMemo(() => ({ page, navigate, focusToken }), [page, navigate, focusToken]);
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation needs a NavigationProvider above it');
  return value;
}
