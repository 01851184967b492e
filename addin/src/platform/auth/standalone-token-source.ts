import type { DevSignInResult } from '../api/contracts';
import type { TokenSource } from '../api/api-client';

/** What standalone (dev) sign-in keeps in sessionStorage: the token and who it is for. */
export interface StoredSession {
  accessToken: string;
  expiresOn: string;
  tenantId: string;
  userId: string;
}

export const sessionStorageKey = 'account-engagement.dev-session';

/** Minimal storage surface so tests and private-mode browsers without storage both work. */
export interface SessionStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function readSession(store: SessionStore | null): StoredSession | null {
  if (!store) return null;
  try {
    const raw = store.getItem(sessionStorageKey);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (
      typeof parsed.accessToken !== 'string' ||
      typeof parsed.tenantId !== 'string' ||
      typeof parsed.userId !== 'string' ||
      typeof parsed.expiresOn !== 'string'
    ) {
      return null;
    }
    return parsed as StoredSession;
  } catch {
    return null;
  }
}

/** True when the token's expiry is within `skewMs` of now (or unreadable). */
export function isExpiring(session: StoredSession, now: number, skewMs = 60_000): boolean {
  const expires = Date.parse(session.expiresOn);
  return Number.isNaN(expires) || expires - now <= skewMs;
}

/**
 * Token source for running outside Teams. It re-signs in as the same person when the token
 * is near expiry or the API rejected it, because dev sign-in needs no user interaction.
 */
export function createStandaloneTokenSource(deps: {
  store: SessionStore | null;
  signIn: (tenantId: string, userId: string) => Promise<DevSignInResult>;
  now?: () => number;
}): TokenSource & {
  save(tenantId: string, userId: string, result: DevSignInResult): void;
  clear(): void;
  current(): StoredSession | null;
} {
  const now = deps.now ?? (() => Date.now());
  let memory: StoredSession | null = readSession(deps.store);

  function save(tenantId: string, userId: string, result: DevSignInResult) {
    memory = { accessToken: result.accessToken, expiresOn: result.expiresOn, tenantId, userId };
    try {
      deps.store?.setItem(sessionStorageKey, JSON.stringify(memory));
    } catch {
      // Storage can be full or blocked; the in-memory copy still works for this page.
    }
  }

  function clear() {
    memory = null;
    try {
      deps.store?.removeItem(sessionStorageKey);
    } catch {
      // Nothing to do: the in-memory copy is gone, which is what matters for this page.
    }
  }

  return {
    save,
    clear,
    current: () => memory,
    async getToken({ forceRefresh }) {
      if (!memory) return null;
      if (forceRefresh || isExpiring(memory, now())) {
        const { tenantId, userId } = memory;
        try {
          save(tenantId, userId, await deps.signIn(tenantId, userId));
        } catch {
          clear();
          return null;
        }
      }
      return memory.accessToken;
    },
  };
}
