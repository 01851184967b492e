import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createApiClient, type ApiClient } from '../api/api-client';
import type { ApiProblem } from '../api/api-problem';
import type { Me } from '../api/contracts';
import { createStandaloneTokenSource, type SessionStore } from '../auth/standalone-token-source';
import { createTeamsTokenSource } from '../auth/teams-token-source';
import type { TeamsHost } from '../teams/use-teams-host';
import { toProblem } from '../api/use-api-resource';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; devSignIn: boolean }
  | { status: 'signed-in'; me: Me }
  | { status: 'error'; problem: ApiProblem };

export interface Session {
  state: SessionState;
  mode: 'teams' | 'standalone';
  api: ApiClient;
  /** Standalone only: sign in through the API's dev sign-in as one persona. */
  signInAs(tenantId: string, userId: string): Promise<void>;
  signOut(): void;
  retry(): void;
}

const SessionContext = createContext<Session | null>(null);

function browserSessionStore(): SessionStore | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * Owns who is signed in. Inside Teams the token comes from teams-js each time; standalone
 * it comes from dev sign-in and lives in sessionStorage until sign-out.
 */
export function SessionProvider({ host, children }: { host: TeamsHost; children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const mode = host.mode === 'teams' ? 'teams' : 'standalone';
  const devSignInEnabled = useRef(false);

  // One client per mode. The standalone token source needs the client for re-sign-in, so an
  // anonymous client is made first and only used for that public endpoint.
  const { api, standaloneTokens } = useMemo(() => {
    if (mode === 'teams') {
      return {
        api: createApiClient({ tokenSource: createTeamsTokenSource() }),
        standaloneTokens: null,
      };
    }
    const anonymous = createApiClient();
    const tokens = createStandaloneTokenSource({
      store: browserSessionStore(),
      signIn: (tenantId, userId) => anonymous.devSignIn(tenantId, userId),
    });
    const client = createApiClient({
      tokenSource: tokens,
      onUnauthorized: () => {
        // The token could not be renewed: forget it and go back to sign-in.
        tokens.clear();
        setState({ status: 'signed-out', devSignIn: devSignInEnabled.current });
      },
    });
    return { api: client, standaloneTokens: tokens };
  }, [mode]);

  useEffect(() => {
    if (host.mode === 'detecting') return;
    let cancelled = false;
    const settle = (next: SessionState) => {
      if (!cancelled) setState(next);
    };
    setState({ status: 'loading' });
    (async () => {
      try {
        if (host.mode === 'teams') {
          const me = await api.getMe();
          settle({ status: 'signed-in', me });
          host.notifyLoaded();
          return;
        }
        const config = await api.getPublicConfig();
        devSignInEnabled.current = config.devSignIn;
        if (!config.devSignIn || !standaloneTokens?.current()) {
          standaloneTokens?.clear();
          settle({ status: 'signed-out', devSignIn: config.devSignIn });
          return;
        }
        const me = await api.getMe();
        settle({ status: 'signed-in', me });
      } catch (error) {
        const problem = toProblem(error);
        // The tab shows its own message with the fix; notifyFailure would make the host swap
        // the tab for a generic error page and hide it.
        if (host.mode === 'teams') host.notifyLoaded();
        if (problem.status === 401 && host.mode !== 'teams') {
          settle({ status: 'signed-out', devSignIn: devSignInEnabled.current });
          return;
        }
        settle({ status: 'error', problem });
      }
    })();
    return () => {
      cancelled = true;
    };
    // host is a fresh object each render; its mode is what decides the flow.
  }, [host.mode, api, attempt]);

  const signInAs = useCallback(
    async (tenantId: string, userId: string) => {
      if (!standaloneTokens) throw new Error('Dev sign-in is only available outside Teams');
      const result = await api.devSignIn(tenantId, userId);
      standaloneTokens.save(tenantId, userId, result);
      const me = await api.getMe();
      setState({ status: 'signed-in', me });
    },
    [api, standaloneTokens],
  );

  const signOut = useCallback(() => {
    standaloneTokens?.clear();
    setState({ status: 'signed-out', devSignIn: devSignInEnabled.current });
  }, [standaloneTokens]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const value = useMemo<Session>(
    () => ({ state, mode, api, signInAs, signOut, retry }),
    [state, mode, api, signInAs, signOut, retry],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession needs a SessionProvider above it');
  return value;
}

/** The signed-in user; only for components rendered inside the signed-in shell. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe used while nobody is signed in');
  return state.me;
}
