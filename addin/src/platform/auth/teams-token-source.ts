import type { TokenSource } from '../api/api-client';
import { ApiProblem } from '../api/api-problem';

export const ssoFailedCode = 'teams-sso-failed';

/**
 * Why Teams could not hand out the SSO token, as far as the tab can tell. Each kind has its
 * own message and fix in the UI:
 * - `consent`: the organisation (or the user) has not approved the app's `access_as_user` scope;
 * - `misconfigured`: the manifest's `webApplicationInfo` does not match the app registration
 *   or the domain the tab is served from;
 * - `cancelled`: a sign-in or consent pop-up was closed or blocked;
 * - `expired`: the Teams session itself is no longer valid;
 * - `unknown`: anything else (network, host bug).
 */
export type SsoFailureKind = 'consent' | 'misconfigured' | 'cancelled' | 'expired' | 'unknown';

// Teams reports getAuthToken failures as bare strings, sometimes wrapping an Entra error. The
// patterns cover the documented ones (resourceRequiresConsent, resourceDisabled, tokenRevoked,
// CancelledByUser, FailedToOpenWindow) and the Entra codes they carry.
const patterns: Array<[SsoFailureKind, RegExp]> = [
  ['consent', /resourceRequiresConsent|consent_required|interaction_required|AADSTS65001|AADSTS65004|invalid_grant/i],
  ['misconfigured', /resourceDisabled|do not match|webApplicationInfo|AADSTS500011|AADSTS50011|AADSTS700016|invalid_resource|App resource/i],
  ['cancelled', /CancelledByUser|FailedToOpenWindow|user_cancel|popup/i],
  ['expired', /tokenRevoked|AADSTS50173|AADSTS700082|expired/i],
];

export function classifySsoFailure(reason: string): SsoFailureKind {
  for (const [kind, pattern] of patterns) if (pattern.test(reason)) return kind;
  return 'unknown';
}

/** Teams rejects with a bare string or an Error; either way we want the text. */
export function ssoReason(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** The problem the shell shows for a failed SSO; `detail` keeps Teams' own words for support. */
export function ssoProblem(reason: string): ApiProblem & { code: typeof ssoFailedCode } {
  const detail = reason.trim() || 'Teams returned no reason.';
  return new ApiProblem({ status: 401, title: 'Teams sign-in failed', detail, code: ssoFailedCode }) as ApiProblem & {
    code: typeof ssoFailedCode;
  };
}

/**
 * Token source inside Teams: asks teams-js for the SSO token on every call and never stores
 * it, because Teams caches and renews it and a stored copy would outlive its validity. After
 * the API rejected a token (`forceRefresh`) it asks once more, which makes Teams renew a
 * token it had cached too long.
 */
export function createTeamsTokenSource(
  // Only ever created inside a Microsoft 365 host, where teams-js is already loaded and initialised.
  getAuthToken: () => Promise<string> = () => import('@microsoft/teams-js').then((m) => m.authentication.getAuthToken()),
): TokenSource {
  return {
    async getToken() {
      try {
        const token = await getAuthToken();
        if (!token) throw new Error('Teams returned an empty token.');
        return token;
      } catch (error) {
        throw ssoProblem(ssoReason(error));
      }
    },
  };
}
