import type { Client } from '@microsoft/microsoft-graph-client';
import type { GraphClientFactory } from '../platform/graph/graph-client.factory';
import { graphErrorFacts } from '../platform/graph/classify-graph-error';

/**
 * The two Graph calls alerts make, app-only: owners' addresses to directory users (as mailboxes
 * are resolved: `/users` filtered by address, in chunks), and one activity feed notification.
 */

export interface OwnerUser {
  userId: string;
  mail: string;
  displayName: string | null;
  /** The user's preferred language (a BCP 47 tag such as fr-FR), null when unset. */
  preferredLanguage: string | null;
}

const CHUNK = 15;
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The enabled users these addresses name (by mail, else user principal name), keyed by lower-cased address. */
export async function resolveOwners(graph: GraphClientFactory, tenantId: string, addresses: readonly string[]): Promise<Map<string, OwnerUser>> {
  const client = graph.forApp(tenantId);
  const wanted = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];
  const found = new Map<string, OwnerUser>();
  for (let i = 0; i < wanted.length; i += CHUNK) {
    const chunk = wanted.slice(i, i + CHUNK);
    const list = chunk.map(quote).join(',');
    for (const prop of ['mail', 'userPrincipalName']) {
      const missing = chunk.filter((a) => !found.has(a));
      if (missing.length === 0) break;
      const res = (await client
        .api('/users')
        .filter(`${prop} in (${prop === 'mail' ? list : missing.map(quote).join(',')})`)
        .select(['id', 'mail', 'userPrincipalName', 'displayName', 'accountEnabled', 'preferredLanguage'])
        .top(999)
        .get()) as { value: Array<{ id: string; mail?: string | null; userPrincipalName?: string | null; displayName?: string | null; accountEnabled?: boolean | null; preferredLanguage?: string | null }> };
      for (const u of res.value) {
        if (u.accountEnabled === false) continue;
        const address = ((prop === 'mail' ? u.mail : u.userPrincipalName) ?? '').trim().toLowerCase();
        if (address && missing.includes(address) && !found.has(address)) found.set(address, { userId: u.id, mail: address, displayName: u.displayName ?? null, preferredLanguage: u.preferredLanguage ?? null });
      }
    }
  }
  return found;
}

/** The organisation's default language (a BCP 47 tag), for owners who set none; null when Graph cannot tell. */
export async function tenantLanguage(graph: GraphClientFactory, tenantId: string): Promise<string | null> {
  try {
    const res = (await graph.forApp(tenantId).api('/organization').select(['id', 'preferredLanguage']).get()) as { value?: Array<{ preferredLanguage?: string | null }> };
    return res.value?.[0]?.preferredLanguage ?? null;
  } catch {
    // The language is a nicety: without it the notification is written in English.
    return null;
  }
}

export interface ActivityNotification {
  activityType: string;
  topic: { source: 'text'; value: string; webUrl: string };
  previewText: { content: string };
  templateParameters: Array<{ name: string; value: string }>;
}

export type SendResult = { outcome: 'sent' } | { outcome: 'not-installed' | 'permission-missing' | 'throttled' | 'failed'; error: string };

/**
 * Sends one notification. The Graph client's retry handler already waits out Retry-After on
 * 429/503/504 (a bounded number of times); what is still refused comes back as an outcome. Graph
 * answers 403 when the app is not installed for the recipient (its message says so), and 403 too
 * when the token lacks TeamsActivity.Send (the organisation consented before alerts existed):
 * the message tells them apart.
 */
export async function sendActivityNotification(client: Client, userId: string, notification: ActivityNotification): Promise<SendResult> {
  try {
    await client.api(`/users/${encodeURIComponent(userId)}/teamwork/sendActivityNotification`).post(notification);
    return { outcome: 'sent' };
  } catch (e) {
    const facts = graphErrorFacts(e);
    const error = `HTTP ${facts.status ?? 'none'} ${facts.code ?? ''}`.trim();
    if (facts.status === 403 && /not installed/i.test(facts.message ?? '')) return { outcome: 'not-installed', error };
    if (facts.status === 403 && /TeamsActivity\.Send|missing role/i.test(facts.message ?? '')) return { outcome: 'permission-missing', error };
    if (facts.status === 429 || facts.status === 503 || facts.status === 504) return { outcome: 'throttled', error };
    return { outcome: 'failed', error };
  }
}
