import type { Client } from '@microsoft/microsoft-graph-client';
import type { Principal } from '../platform/auth/principal';
import { AppError } from '../platform/errors/app-error';
import { toAppError, type GraphClientFactory } from '../platform/graph/graph-client.factory';

/**
 * Delegated scopes for reads made as the signed-in admin before the tenant has consented.
 * `User.Read` also lets a user read their organisation; `User.ReadBasic.All` lets the picker
 * find people. Anything more (groups, roles, licences) needs the tenant admin's consent.
 */
export const DELEGATED_READ_SCOPES = ['User.Read', 'User.ReadBasic.All'];
export const DELEGATED_GROUP_SCOPES = ['GroupMember.Read.All'];
export const DELEGATED_ROLE_SCOPES = ['RoleManagement.Read.Directory'];
export const DELEGATED_MAIL_SCOPES = ['Mail.Send'];

export type GraphVia = 'app' | 'delegated';

/**
 * Runs a Graph read app-only when the tenant has granted consent, otherwise as the signed-in
 * user on-behalf-of. A consent-required failure of the app-only attempt (no service principal
 * yet, or a missing role) is what triggers the delegated attempt; other failures surface.
 */
export async function readWithBestClient<T>(
  graph: GraphClientFactory,
  principal: Principal,
  delegatedScopes: string[],
  read: (client: Client, via: GraphVia) => Promise<T>,
): Promise<{ value: T; via: GraphVia }> {
  try {
    return { value: await read(graph.forApp(principal.tenantId), 'app'), via: 'app' };
  } catch (e) {
    const err = toAppError(e);
    if (err.code !== 'consent-required') throw err;
  }
  try {
    return { value: await read(graph.forUser(principal.tenantId, principal.token, delegatedScopes), 'delegated'), via: 'delegated' };
  } catch (e) {
    const err = toAppError(e);
    if (err.code === 'consent-required') {
      throw new AppError(
        'consent-required',
        'This needs your organisation\'s admin consent, which has not been granted yet. Save the enrichment to send the consent request to your Global Administrators.',
        { cause: e },
      );
    }
    throw err;
  }
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

/** Follows `@odata.nextLink` until done or `max` items are read. */
export async function readAllPages<T>(client: Client, first: string, build: (req: ReturnType<Client['api']>) => ReturnType<Client['api']>, max: number): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let page = (await build(client.api(first)).get()) as Page<T>;
  for (;;) {
    items.push(...page.value);
    if (items.length >= max) return { items: items.slice(0, max), truncated: true };
    const next = page['@odata.nextLink'];
    if (!next) return { items, truncated: false };
    page = (await client.api(next).get()) as Page<T>;
  }
}
