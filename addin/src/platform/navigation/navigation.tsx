import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { pageFor, parsePageParam, urlForPage, type PageId, type PageParams } from './page-id';
import { useSession } from '../session/session-provider';

interface Navigation {
  /** The page shown: the URL's, or the user's landing page when the URL names none (or not theirs). */
  page: PageId;
  /**
   * Open a page. Only the tab-wide parameters (theme, locale) carry over; `params` are the new
   * page's own (an id to show, where the user came from).
   */
  navigate(page: PageId, params?: PageParams): void;
  /** Increases on every in-app navigation; 0 means the page came from the initial URL. */
  focusToken: number;
}

const NavigationContext = createContext<Navigation | null>(null);

function pageFromLocation(): PageId | null {
  return parsePageParam(new URLSearchParams(window.location.search).get('page'));
}

/**
 * Current page, kept in `?page=` so the browser's back button and Teams deep links work.
 * Back/forward also move focus to the heading, like a click on the tab would. Without a page
 * in the URL a seller lands on Customers and an admin on Enrichments.
 */
export function NavigationProvider({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const isAdmin = state.status === 'signed-in' && state.me.isAdmin;
  const [requested, setRequested] = useState<PageId | null>(pageFromLocation);
  const [focusToken, setFocusToken] = useState(0);

  useEffect(() => {
    const onPop = () => {
      setRequested(pageFromLocation());
      setFocusToken((n) => n + 1);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((next: PageId, params?: PageParams) => {
    const url = urlForPage(window.location.href, next, params);
    if (url !== window.location.href) window.history.pushState(window.history.state, '', url);
    setRequested(next);
    setFocusToken((n) => n + 1);
  }, []);

  const page = pageFor(requested, isAdmin);
  const value = useMemo(() => ({ page, navigate, focusToken }), [page, navigate, focusToken]);
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation needs a NavigationProvider above it');
  return value;
}
