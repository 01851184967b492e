import { authentication } from '@microsoft/teams-js';
import type { TokenSource } from '../api-client';
import { ApiProblem } from '../api-problem';

export const ssoFailedCode = 'teams-sso-failed';

/**
 * Token source inside Teams: asks teams-js for the SSO token on every call and never stores
 * it, because Teams caches and renews it and a stored copy would outlive its validity.
 * teams-js rejects with a bare string or an Error; both become an ApiProblem so the UI has
 * one error shape to show.
 */
export function createTeamsTokenSource(
  getAuthToken: () => Promise<string> = () => authentication.getAuthToken(),
): TokenSource {
  return {
    async getToken() {
      try {
        return await getAuthToken();
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new ApiProblem({ status: 401, title: 'Teams sign-in failed', detail, code: ssoFailedCode });
      }
    },
  };
}
