import { urlWithSubPage } from './sub-page';
import type { app } from '@microsoft/teams-js';
import { useCallback, useEffect, useRef, useState } from 'react';
import { themeFromTeams, type ThemeName } from '../theme/theme-name';

/** What the tab uses from the Teams context; nothing else is kept. */
export interface TeamsHostContext {
  locale: string;
  /** `content`, `settings` (configurable-tab setup), `remove`, `sidePanel`, … */
  frameContext: string;
  /** `Teams`, `Outlook`, `Office`, …: features are detected, never assumed from this. */
  hostName: string;
  /** The tab's entity id (static tab id, or the id a configurable tab saved). */
  pageId?: string;
  tenantId?: string;
  userId?: string;
  userDisplayName?: string;
  teamName?: string;
  channelName?: string;
}

export type TeamsHost =
  | { mode: 'detecting' }
  | {
      mode: 'teams';
      context: TeamsHostContext;
      theme: ThemeName;
      /** Tell the host the tab is ready (hides its loading indicator). Safe to call repeatedly. */
      notifyLoaded(): void;
      /**
       * Tell the host loading failed for good. The host then replaces the tab with its own
       * error page, so call it only when the tab has nothing useful to show itself.
       */
      notifyFailed(message: string): void;
    }
  | { mode: 'standalone'; reason: 'not-framed' | 'initialize-failed' };

/** Teams answers initialize within a second or two; a plain iframe never answers at all. */
export const teamsInitializeTimeoutMs = 5_000;

/** The origin list is one small same-origin request; never let it hold up initialisation long. */
export const hostOriginsTimeoutMs = 2_000;

/**
 * teams-js, loaded only once the tab knows it is framed. Importing it starts a fetch of its
 * valid-domains list from a Microsoft CDN (module side effect): a tab opened directly in a
 * browser is not in a Microsoft 365 host and must not send that request on every load.
 */
export function loadTeamsJs(): Promise<typeof import('@microsoft/teams-js')> {
  return import('@microsoft/teams-js');
}

export function isFramed(win: Window = window): boolean {
  try {
    return win.self !== win.top;
  } catch {
    // A cross-origin parent can make window.top inaccessible: that is a frame too.
    return true;
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Keeps only well-formed http(s) origins. teams-js matches extra origins exactly (no port
 * wildcards), and anything else in the list would be ignored by it anyway.
 */
export function sanitizeHostOrigins(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string' && /^https?:\/\/[^/?#\s]+$/.test(v));
}

/**
 * Extra host origins the API allows outside production (the Teams host harness in tests).
 * teams-js already trusts Teams, Outlook and Microsoft 365 origins on its own, so any failure
 * here simply means "no extras".
 */
export async function fetchExtraHostOrigins(fetchImpl: typeof fetch = fetch): Promise<string[]> {
  try {
    const response = await withTimeout(fetchImpl('/api/public-config', { headers: { accept: 'application/json' } }), hostOriginsTimeoutMs);
    if (!response.ok) return [];
    const body = (await response.json()) as { teamsHostOrigins?: unknown };
    return sanitizeHostOrigins(body.teamsHostOrigins);
  } catch {
    return [];
  }
}

export function toHostContext(context: app.Context): TeamsHostContext {
  return {
    locale: context.app.locale,
    frameContext: String(context.page.frameContext ?? 'content'),
    hostName: String(context.app.host.name),
    ...(context.page.id ? { pageId: context.page.id } : {}),
    ...(context.user?.tenant?.id ? { tenantId: context.user.tenant.id } : {}),
    ...(context.user?.id ? { userId: context.user.id } : {}),
    ...(context.user?.displayName ? { userDisplayName: context.user.displayName } : {}),
    ...(context.team?.displayName ? { teamName: context.team.displayName } : {}),
    ...(context.channel?.displayName ? { channelName: context.channel.displayName } : {}),
  };
}

/**
 * Detect whether the tab runs inside a Microsoft 365 host (Teams, Outlook, the Microsoft 365
 * app). When framed, initialise teams-js (bounded by a timeout), read the context, and follow
 * theme changes live; when not framed, or when initialisation fails, report standalone so the
 * app can offer dev sign-in instead.
 */
export function useTeamsHost(): TeamsHost {
  const [state, setState] = useState<
    | { mode: 'detecting' }
    | { mode: 'teams'; context: TeamsHostContext; theme: ThemeName }
    | { mode: 'standalone'; reason: 'not-framed' | 'initialize-failed' }
  >(() => (isFramed() ? { mode: 'detecting' } : { mode: 'standalone', reason: 'not-framed' }));
  const notified = useRef(false);
  const teams = useRef<typeof import('@microsoft/teams-js') | null>(null);

  useEffect(() => {
    if (state.mode !== 'detecting') return;
    let cancelled = false;
    (async () => {
      try {
        const [extraOrigins, teamsJs] = await Promise.all([fetchExtraHostOrigins(), loadTeamsJs()]);
        teams.current = teamsJs;
        const { app } = teamsJs;
        // initialize() is idempotent in teams-js; StrictMode's second effect run reuses it.
        await withTimeout(app.initialize(extraOrigins), teamsInitializeTimeoutMs);
        const context = await withTimeout(app.getContext(), teamsInitializeTimeoutMs);
        if (cancelled) return;
        // A deep link's sub-page (an alert's filtered customer list) becomes the tab's own URL before any page reads it.
        const deepLinked = urlWithSubPage(window.location.href, context.page.subPageId);
        if (deepLinked) window.history.replaceState(window.history.state, '', deepLinked);
        setState({ mode: 'teams', context: toHostContext(context), theme: themeFromTeams(context.app.theme) });
        app.registerOnThemeChangeHandler((theme) => {
          setState((prev) => (prev.mode === 'teams' ? { ...prev, theme: themeFromTeams(theme) } : prev));
        });
      } catch {
        if (!cancelled) setState({ mode: 'standalone', reason: 'initialize-failed' });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [state.mode]);

  const notifyLoaded = useCallback(() => {
    if (notified.current) return;
    notified.current = true;
    void teams.current?.app.notifySuccess().catch(() => undefined);
  }, []);

  const notifyFailed = useCallback((message: string) => {
    if (notified.current) return;
    notified.current = true;
    const app = teams.current?.app;
    app?.notifyFailure({ reason: app.FailedReason.AuthFailed, message });
  }, []);

  if (state.mode === 'teams') return { ...state, notifyLoaded, notifyFailed };
  return state;
}
