import { app } from '@microsoft/teams-js';
import { useCallback, useEffect, useRef, useState } from 'react';
import { themeFromTeams, type ThemeName } from '../theme/theme-name';

/** What the tab uses from the Teams context; nothing else is kept. */
export interface TeamsHostContext {
  locale: string;
  frameContext: string;
  hostName: string;
  tenantId?: string;
  userId?: string;
  userDisplayName?: string;
}

export type TeamsHost =
  | { mode: 'detecting' }
  | {
      mode: 'teams';
      context: TeamsHostContext;
      theme: ThemeName;
      /** Tell Teams the tab is ready (hides its loading indicator). Safe to call repeatedly. */
      notifyLoaded(): void;
      /** Tell Teams loading failed, e.g. SSO could not get a token. */
      notifyFailed(message: string): void;
    }
  | { mode: 'standalone'; reason: 'not-framed' | 'initialize-failed' };

/** Teams answers initialize within a second or two; a plain iframe never answers at all. */
export const teamsInitializeTimeoutMs = 5_000;

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

function toHostContext(context: app.Context): TeamsHostContext {
  return {
    locale: context.app.locale,
    frameContext: String(context.page.frameContext),
    hostName: String(context.app.host.name),
    ...(context.user?.tenant?.id ? { tenantId: context.user.tenant.id } : {}),
    ...(context.user?.id ? { userId: context.user.id } : {}),
    ...(context.user?.displayName ? { userDisplayName: context.user.displayName } : {}),
  };
}

/**
 * Detect whether the tab runs inside Teams. When framed, initialise teams-js (bounded by a
 * timeout), read the context, and follow theme changes live; when not framed, or when
 * initialisation fails, report standalone so the app can offer dev sign-in instead.
 */
export function useTeamsHost(): TeamsHost {
  const [state, setState] = useState<
    | { mode: 'detecting' }
    | { mode: 'teams'; context: TeamsHostContext; theme: ThemeName }
    | { mode: 'standalone'; reason: 'not-framed' | 'initialize-failed' }
  >(() => (isFramed() ? { mode: 'detecting' } : { mode: 'standalone', reason: 'not-framed' }));
  const notified = useRef(false);

  useEffect(() => {
    if (state.mode !== 'detecting') return;
    let cancelled = false;
    (async () => {
      try {
        await withTimeout(app.initialize(), teamsInitializeTimeoutMs);
        const context = await withTimeout(app.getContext(), teamsInitializeTimeoutMs);
        if (cancelled) return;
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
    void app.notifySuccess().catch(() => undefined);
  }, []);

  const notifyFailed = useCallback((message: string) => {
    if (notified.current) return;
    notified.current = true;
    app.notifyFailure({ reason: app.FailedReason.AuthFailed, message });
  }, []);

  if (state.mode === 'teams') return { ...state, notifyLoaded, notifyFailed };
  return state;
}
