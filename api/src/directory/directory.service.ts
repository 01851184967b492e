import type { Client } from '@microsoft/microsoft-graph-client';
import type { Principal } from '../platform/auth/principal';
import { AppError } from '../platform/errors/app-error';
import { toAppError, type GraphClientFactory } from '../platform/graph/graph-client.factory';
import {
  DELEGATED_GROUP_SCOPES,
  DELEGATED_READ_SCOPES,
  DELEGATED_ROLE_SCOPES,
  readAllPages,
  readWithBestClient,
} from './directory-graph';
import {
  MAX_MAILBOXES,
  MIN_MAILBOXES,
  MailboxCollector,
  mailboxCountProblem,
  type DirectoryUser,
  type ResolvedMailbox,
  type UnresolvedEntry,
} from './mailbox-resolution';
import { SUPPORTED_COUNTRY_CODES, isSupportedCountry, supportedRegionsSentence } from './supported-regions';

export interface DirectoryEntry {
  kind: 'user' | 'group';
  id: string;
  displayName: string;
  mail: string | null;
  /** Groups only: people in the group, nested groups included; null when it could not be read. */
  memberCount?: number | null;
}

export interface Selection {
  kind: 'user' | 'group';
  id: string;
  displayName?: string;
}

export interface Resolution {
  mailboxes: ResolvedMailbox[];
  count: number;
  unresolved: UnresolvedEntry[];
  limits: { min: number; max: number };
  withinLimits: boolean;
  message: string | null;
}

export type PrerequisiteId = 'region' | 'licence' | 'dataset' | 'role';
export interface Prerequisite {
  id: PrerequisiteId;
  status: 'met' | 'not-met' | 'unknown';
  reason: string;
}
export interface Prerequisites {
  items: Prerequisite[];
  supportedCountries: string[];
  countryLetterCode: string | null;
  canCreate: boolean;
}

/** Reading stops beyond this many members: the answer is "more than 2,500" either way. */
const EXPANSION_CAP = 10_000;
const ID_CHUNK = 15;
const USER_SELECT = ['id', 'displayName', 'mail', 'accountEnabled'];

/** SKUs whose part number marks a Microsoft 365 / Office 365 suite with Exchange. */
const M365_SKU = /^(O365_|OFFICE365|ENTERPRISEPACK|ENTERPRISEPREMIUM|STANDARDPACK|SPE_|M365|MICROSOFT_365|SPB|O365|DESKLESSPACK|EXCHANGE)/i;

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export class DirectoryService {
  constructor(
    private readonly graph: GraphClientFactory,
    /** Whether the tenant has at least one dataset with accounts and contacts. */
    private readonly datasetCount: (tenantId: string) => Promise<number>,
  ) {}

  /** Users and mail-enabled groups whose name or address starts with `q`. */
  async search(p: Principal, q: string, limit: number): Promise<{ items: DirectoryEntry[]; groupsSearched: boolean }> {
    const term = q.trim();
    const usersFilter = `accountEnabled eq true and startswith(displayName,${quote(term)})`;
    const byMail = `accountEnabled eq true and startswith(mail,${quote(term)})`;
    const { value: users } = await readWithBestClient(this.graph, p, DELEGATED_READ_SCOPES, async (c) => {
      const pages = await Promise.all(
        [usersFilter, byMail].map((f) => c.api('/users').filter(f).select(['id', 'displayName', 'mail']).top(limit).get() as Promise<{ value: DirectoryUser[] }>),
      );
      const seen = new Set<string>();
      return pages.flatMap((pg) => pg.value).filter((u) => u.mail && !seen.has(u.id) && seen.add(u.id));
    });
    let groups: Array<{ id: string; displayName: string; mail: string | null; memberCount: number | null }> = [];
    let groupsSearched = true;
    try {
      ({ value: groups } = await readWithBestClient(this.graph, p, DELEGATED_GROUP_SCOPES, async (c) => {
        const pages = await Promise.all(
          [`startswith(displayName,${quote(term)})`, `startswith(mail,${quote(term)})`].map(
            (f) => c.api('/groups').filter(`mailEnabled eq true and ${f}`).select(['id', 'displayName', 'mail']).top(limit).get() as Promise<{ value: Array<{ id: string; displayName: string; mail: string | null }> }>,
          ),
        );
        const seen = new Set<string>();
        const found = pages.flatMap((pg) => pg.value).filter((g) => !seen.has(g.id) && seen.add(g.id)).slice(0, limit);
        // How many people a group brings is what the admin weighs when picking it.
        return mapLimit(found, 4, async (g) => ({ ...g, memberCount: await this.groupMemberCount(c, g.id) }));
      }));
    } catch (e) {
      // Before consent groups cannot be read; people still can, so the picker stays useful.
      if ((e as AppError).code !== 'consent-required') throw e;
      groupsSearched = false;
    }
    const items: DirectoryEntry[] = [
      ...groups.map((g) => ({ kind: 'group' as const, id: g.id, displayName: g.displayName, mail: g.mail ?? null, memberCount: g.memberCount })),
      ...users.map((u) => ({ kind: 'user' as const, id: u.id, displayName: u.displayName ?? '', mail: u.mail ?? null })),
    ].sort((x, y) => x.displayName.localeCompare(y.displayName));
    return { items: items.slice(0, limit), groupsSearched };
  }

  /** People in a group, nested groups included (Graph's advanced $count); null when Graph will not say. */
  private async groupMemberCount(c: Client, groupId: string): Promise<number | null> {
    try {
      const res = (await c
        .api(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user`)
        .header('ConsistencyLevel', 'eventual')
        .query({ $count: 'true' })
        .select(['id'])
        .top(1)
        .get()) as { '@odata.count'?: number };
      return typeof res['@odata.count'] === 'number' ? res['@odata.count'] : null;
    } catch {
      return null;
    }
  }

  /** Expands groups transitively and de-duplicates; the count is of unique addresses. */
  async resolve(p: Principal, selections: Selection[]): Promise<Resolution> {
    const users = selections.filter((s) => s.kind === 'user');
    const groups = dedupe(selections.filter((s) => s.kind === 'group'));
    const collector = new MailboxCollector();
    let truncated = false;

    if (users.length) {
      const ids = [...new Set(users.map((u) => u.id.toLowerCase()))];
      const { value: found } = await readWithBestClient(this.graph, p, DELEGATED_READ_SCOPES, async (c) => {
        const chunks: string[][] = [];
        for (let i = 0; i < ids.length; i += ID_CHUNK) chunks.push(ids.slice(i, i + ID_CHUNK));
        const pages = await mapLimit(chunks, 4, (chunk) =>
          c.api('/users').filter(`id in (${chunk.map(quote).join(',')})`).select(USER_SELECT).top(999).get() as Promise<{ value: DirectoryUser[] }>,
        );
        return pages.flatMap((pg) => pg.value);
      });
      const byId = new Map(found.map((u) => [u.id.toLowerCase(), u]));
      for (const s of users) {
        const u = byId.get(s.id.toLowerCase());
        if (u) collector.add(u);
        else collector.flag({ kind: 'user', id: s.id, displayName: s.displayName ?? null, reason: 'not-found' });
      }
    }

    if (groups.length) {
      const { value: expansions } = await readWithBestClient(this.graph, p, [...DELEGATED_READ_SCOPES, ...DELEGATED_GROUP_SCOPES], (c) =>
        mapLimit(groups, 4, (g) => this.expandGroup(c, g)),
      );
      for (const [i, x] of expansions.entries()) {
        const g = groups[i]!;
        if (x === 'not-found') {
          collector.flag({ kind: 'group', id: g.id, displayName: g.displayName ?? null, reason: 'not-found' });
          continue;
        }
        truncated ||= x.truncated;
        if (x.members.length === 0) collector.flag({ kind: 'group', id: g.id, displayName: g.displayName ?? null, reason: 'empty-group' });
        x.members.forEach((m) => collector.add(m));
      }
    }

    const { mailboxes, unresolved } = collector.result();
    const message = mailboxCountProblem(mailboxes.length, truncated);
    return {
      mailboxes,
      count: mailboxes.length,
      unresolved,
      limits: { min: MIN_MAILBOXES, max: MAX_MAILBOXES },
      withinLimits: message === null,
      message,
    };
  }

  private async expandGroup(c: Client, g: Selection): Promise<{ members: DirectoryUser[]; truncated: boolean } | 'not-found'> {
    try {
      const { items, truncated } = await readAllPages<DirectoryUser>(
        c,
        `/groups/${encodeURIComponent(g.id)}/transitiveMembers/microsoft.graph.user`,
        (r) => r.select(USER_SELECT).top(999),
        EXPANSION_CAP,
      );
      return { members: items, truncated };
    } catch (e) {
      const err = toAppError(e);
      if (err.code === 'not-found') return 'not-found';
      throw e;
    }
  }

  /** The Global Administrators' addresses, or null when they cannot be read (no consent). */
  async globalAdminAddresses(p: Principal): Promise<string[] | null> {
    try {
      const { value } = await readWithBestClient(this.graph, p, DELEGATED_ROLE_SCOPES, async (c) => {
        const res = (await c.api("/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/members").select(['id', 'mail', 'accountEnabled']).get()) as {
          value: DirectoryUser[];
        };
        return res.value;
      });
      const addresses = [...new Set(value.filter((u) => u.accountEnabled !== false && u.mail).map((u) => u.mail!.trim().toLowerCase()))];
      return addresses.length ? addresses : null;
    } catch (e) {
      if ((e as AppError).code === 'consent-required') return null;
      throw e;
    }
  }

  async prerequisites(p: Principal): Promise<Prerequisites> {
    const items: Prerequisite[] = [];
    let country: string | null = null;

    const org = await readWithBestClient(this.graph, p, DELEGATED_READ_SCOPES, async (c) => {
      const res = (await c.api('/organization').select(['id', 'countryLetterCode']).get()) as { value: Array<{ countryLetterCode?: string | null }> };
      return res.value[0]?.countryLetterCode ?? null;
    });
    country = org.value ? org.value.toUpperCase() : null;
    items.push(
      isSupportedCountry(country)
        ? { id: 'region', status: 'met', reason: `Your organisation is in ${country}, a supported region.` }
        : {
            id: 'region',
            status: 'not-met',
            reason: country
              ? `Your organisation's country (${country}) is outside the supported regions (${supportedRegionsSentence()}), so the enrichment cannot be created.`
              : `Your organisation has no country set; the enrichment is available only in ${supportedRegionsSentence()}.`,
          },
    );

    items.push(await this.licence(p));

    const datasets = await this.datasetCount(p.tenantId);
    items.push(
      datasets > 0
        ? { id: 'dataset', status: 'met', reason: `${datasets} customer dataset${datasets > 1 ? 's' : ''} with accounts and contacts ${datasets > 1 ? 'are' : 'is'} available.` }
        : { id: 'dataset', status: 'not-met', reason: 'Import a customer dataset of business accounts with their contacts first.' },
    );
    items.push(
      p.isAdmin
        ? { id: 'role', status: 'met', reason: 'You hold the EngagementAdmin role.' }
        : { id: 'role', status: 'not-met', reason: 'Only users with the EngagementAdmin role can create enrichments; ask your administrator to assign it.' },
    );
    return { items, supportedCountries: [...SUPPORTED_COUNTRY_CODES], countryLetterCode: country, canCreate: items.every((i) => i.status !== 'not-met') };
  }

  /** Licences need Organization.Read.All: app-only after consent, unknown before it. */
  private async licence(p: Principal): Promise<Prerequisite> {
    let skus: Array<{ skuPartNumber?: string; capabilityStatus?: string; servicePlans?: Array<{ servicePlanName?: string }> }>;
    try {
      const res = (await this.graph.forApp(p.tenantId).api('/subscribedSkus').get()) as { value: typeof skus };
      skus = res.value;
    } catch (e) {
      const err = toAppError(e);
      if (err.code !== 'consent-required') throw err;
      return {
        id: 'licence',
        status: 'unknown',
        reason: 'The Microsoft 365 licence can be checked once a Global Administrator has granted consent; it is checked again before any run.',
      };
    }
    const active = skus.find(
      (s) => s.capabilityStatus === 'Enabled' && (M365_SKU.test(s.skuPartNumber ?? '') || (s.servicePlans ?? []).some((sp) => /^EXCHANGE_S_/i.test(sp.servicePlanName ?? ''))),
    );
    return active
      ? { id: 'licence', status: 'met', reason: `An active Microsoft 365 / Office 365 subscription (${active.skuPartNumber}) was found.` }
      : { id: 'licence', status: 'not-met', reason: 'No active Microsoft 365 / Office 365 subscription was found; the enrichment needs one with Exchange Online.' };
  }

  /** For saving: refuses with the first unmet prerequisite's reason. */
  async assertCanCreate(p: Principal): Promise<void> {
    const pre = await this.prerequisites(p);
    const unmet = pre.items.find((i) => i.status === 'not-met');
    if (unmet) throw new AppError('validation', unmet.reason, { fields: [{ path: `prerequisites.${unmet.id}`, message: unmet.reason }] });
  }
}

function dedupe(groups: Selection[]): Selection[] {
  const seen = new Set<string>();
  return groups.filter((g) => !seen.has(g.id.toLowerCase()) && seen.add(g.id.toLowerCase()));
}
