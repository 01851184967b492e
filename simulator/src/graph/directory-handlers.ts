import type { SimContext } from '../sim-context';
import { guidFromHash } from '../sim-context';
import type { SimGroup, SimUser, Tenant } from '../tenant/tenant.types';
import { contextUrl, nextLinkFor, readPageCursor } from './collection-paging';
import { GraphError, accessDeniedDirectory, badRequest } from './graph-errors';
import { holdsAny, type GraphCall, type GraphPrincipal, type GraphRequest, type GraphResponse } from './graph-types';
import { parseComparison, parseSelect, parseTop, requireConsistencyEventual, splitAnd } from './odata-query';

export const GLOBAL_ADMIN_TEMPLATE_ID = '62e90394-69f5-4237-9190-012177145e10';

const USER_FULL = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const USER_BASIC = ['User.ReadBasic.All', ...USER_FULL];
const GROUP_READ = ['Group.Read.All', 'GroupMember.Read.All', 'Directory.Read.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const MEMBER_READ = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Group.ReadWrite.All'];
const ORG_READ = ['Organization.Read.All', 'Directory.Read.All', 'Organization.ReadWrite.All'];
const SKU_READ = ['LicenseAssignment.Read.All', 'Organization.Read.All', 'Directory.Read.All'];
const ROLE_READ = ['RoleManagement.Read.Directory', 'Directory.Read.All', 'RoleManagement.ReadWrite.Directory'];

type Projector<T> = Record<string, (x: T) => unknown>;

const USER_PROPS: Projector<SimUser> = {
  id: (u) => u.id,
  businessPhones: () => [],
  displayName: (u) => u.displayName,
  givenName: (u) => u.givenName,
  jobTitle: (u) => u.jobTitle,
  mail: (u) => u.mail,
  mobilePhone: () => null,
  officeLocation: () => null,
  preferredLanguage: (u) => u.preferredLanguage ?? null,
  surname: (u) => u.surname,
  userPrincipalName: (u) => u.userPrincipalName,
  accountEnabled: (u) => u.accountEnabled,
  department: (u) => u.department,
  userType: () => 'Member',
};
const USER_DEFAULT = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
/** What User.ReadBasic.All may read. */
const USER_BASIC_PROPS = new Set(['id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName']);

const GROUP_PROPS: Projector<SimGroup> = {
  id: (g) => g.id,
  displayName: (g) => g.displayName,
  description: (g) => g.description,
  mail: (g) => g.mail,
  mailEnabled: (g) => g.mailEnabled,
  mailNickname: (g) => (g.mail ? g.mail.split('@')[0] : g.displayName.replace(/\W+/g, '').toLowerCase()),
  securityEnabled: (g) => g.securityEnabled,
  groupTypes: (g) => g.groupTypes,
  visibility: (g) => (g.groupTypes.includes('Unified') ? 'Private' : null),
};
const GROUP_DEFAULT = Object.keys(GROUP_PROPS);

function project<T>(item: T, props: Projector<T>, select: string[] | undefined, defaults: string[], typeName: string, allowed?: Set<string>): Record<string, unknown> {
  const names = select ?? defaults;
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const key = Object.keys(props).find((k) => k.toLowerCase() === name.toLowerCase());
    if (!key) throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`, 'Request_BadRequest');
    if (allowed && !allowed.has(key)) continue;
    out[key] = props[key]!(item);
  }
  if (!('id' in out) && select) out.id = props.id!(item);
  return out;
}

function userView(p: GraphPrincipal, self?: string): 'full' | 'basic' | 'none' {
  if (holdsAny(p, USER_FULL)) return 'full';
  if (holdsAny(p, ['User.ReadBasic.All'])) return 'basic';
  if (self && p.kind === 'delegated' && p.userId === self && holdsAny(p, ['User.Read'])) return 'full';
  return 'none';
}

function projectUser(u: SimUser, select: string[] | undefined, view: 'full' | 'basic'): Record<string, unknown> {
  return project(u, USER_PROPS, select, USER_DEFAULT, 'user', view === 'basic' ? USER_BASIC_PROPS : undefined);
}

function stringOf(v: unknown): string {
  return typeof v === 'string' ? v.toLowerCase() : String(v);
}

/** `startswith(prop,'x')`, `prop eq 'x'|true|false`, `prop in ('a','b')`, joined by `and`. */
function directoryFilter<T>(filter: string, props: Projector<T>, filterable: string[], typeName: string): (x: T) => boolean {
  const tests: Array<(x: T) => boolean> = [];
  for (const clause of splitAnd(filter)) {
    const starts = /^startswith\(\s*([A-Za-z]+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause);
    const inList = /^([A-Za-z]+)\s+in\s+\((.*)\)$/i.exec(clause);
    const prop = starts?.[1] ?? inList?.[1] ?? parseComparison(clause)?.prop;
    if (!prop) throw badRequest(`Invalid filter clause: ${clause}`);
    const key = filterable.find((k) => k.toLowerCase() === prop.toLowerCase());
    if (!key) {
      throw badRequest(`Unsupported or invalid query filter clause specified for property '${prop}' of resource '${typeName}'.`, 'Request_UnsupportedQuery');
    }
    const get = props[key]!;
    if (starts) {
      const prefix = starts[2]!.replace(/''/g, "'").toLowerCase();
      tests.push((x) => stringOf(get(x)).startsWith(prefix));
    } else if (inList) {
      const values = [...inList[2]!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'").toLowerCase());
      tests.push((x) => values.includes(stringOf(get(x))));
    } else {
      const cmp = parseComparison(clause)!;
      if (cmp.op !== 'eq' && cmp.op !== 'ne') throw badRequest(`Unsupported operator '${cmp.op}' for property '${prop}'.`, 'Request_UnsupportedQuery');
      const want = typeof cmp.value === 'string' ? cmp.value.toLowerCase() : cmp.value;
      tests.push((x) => {
        const have = get(x);
        const eq = (typeof have === 'string' ? have.toLowerCase() : have) === want;
        return cmp.op === 'eq' ? eq : !eq;
      });
    }
  }
  return (x) => tests.every((t) => t(x));
}

/** `$search="displayName:foo"` (OR of terms): tokenised prefix match like the directory's. */
function directorySearch<T>(search: string, props: Projector<T>): (x: T) => boolean {
  const terms = [...search.matchAll(/"([A-Za-z]+):([^"]*)"/g)].map((m) => ({ prop: m[1]!, term: m[2]!.toLowerCase() }));
  if (terms.length === 0) throw badRequest(`Syntax error: invalid $search '${search}'.`, 'Request_UnsupportedQuery');
  return (x) =>
    terms.some(({ prop, term }) => {
      const key = Object.keys(props).find((k) => k.toLowerCase() === prop.toLowerCase());
      if (!key) return false;
      const value = stringOf(props[key]!(x));
      return value.startsWith(term) || value.split(/[\s\-_.@]+/).some((w) => w.startsWith(term));
    });
}

interface ListOptions<T> {
  kind: string;
  items: T[];
  props: Projector<T>;
  filterable: string[];
  typeName: string;
  context: string;
  render: (x: T, select: string[] | undefined) => Record<string, unknown>;
  defaultTop?: number;
}

function listDirectory<T>(ctx: SimContext, req: GraphRequest, opts: ListOptions<T>): GraphResponse {
  const select = parseSelect(req);
  const top = parseTop(req, 999, 'Request_BadRequest') ?? opts.defaultTop ?? 100;
  let items = opts.items;
  const filter = req.query.get('$filter');
  if (filter) items = items.filter(directoryFilter(filter, opts.props, opts.filterable, opts.typeName));
  const search = req.query.get('$search');
  if (search) {
    requireConsistencyEventual(req, '$search');
    items = items.filter(directorySearch(search, opts.props));
  }
  const wantCount = req.query.get('$count') === 'true';
  if (wantCount) requireConsistencyEventual(req, '$count');
  const { offset } = readPageCursor(ctx, req, opts.kind);
  const page = items.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx, opts.context) };
  if (wantCount) body['@odata.count'] = items.length;
  if (offset + top < items.length) body['@odata.nextLink'] = nextLinkFor(ctx, req, opts.kind, offset + top);
  body.value = page.map((x) => opts.render(x, select));
  return { status: 200, headers: {}, body };
}

export function findUser(tenant: Tenant, idOrUpn: string): SimUser | undefined {
  const key = decodeURIComponent(idOrUpn).toLowerCase();
  return tenant.users.find((u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
}

function userNotFound(id: string): GraphError {
  return new GraphError(404, 'Request_ResourceNotFound', `Resource '${decodeURIComponent(id)}' does not exist or one of its queried reference-property objects are not present.`);
}

export function listUsers(ctx: SimContext, call: GraphCall): GraphResponse {
  const view = userView(call.principal);
  if (view === 'none') throw accessDeniedDirectory();
  return listDirectory(ctx, call.req, {
    kind: 'users',
    items: call.principal.tenant.tenant.users,
    props: USER_PROPS,
    filterable: ['displayName', 'mail', 'userPrincipalName', 'givenName', 'surname', 'id', 'accountEnabled', 'jobTitle', 'department'],
    typeName: 'User',
    context: 'users',
    render: (u, select) => projectUser(u, select, view),
  });
}

export function getUser(ctx: SimContext, call: GraphCall): GraphResponse {
  const idOrUpn = call.params[0]!;
  const user = findUser(call.principal.tenant.tenant, idOrUpn);
  const view = userView(call.principal, user?.id);
  if (view === 'none') throw accessDeniedDirectory();
  if (!user) throw userNotFound(idOrUpn);
  return { status: 200, headers: {}, body: { '@odata.context': contextUrl(ctx, 'users/$entity'), ...projectUser(user, parseSelect(call.req), view) } };
}

export function getMe(ctx: SimContext, call: GraphCall): GraphResponse {
  if (call.principal.kind !== 'delegated' || !call.principal.userId) {
    throw badRequest('/me request is only valid with delegated authentication flow.');
  }
  return getUser(ctx, { ...call, params: [call.principal.userId] });
}

function projectGroup(g: SimGroup, select: string[] | undefined): Record<string, unknown> {
  return project(g, GROUP_PROPS, select, GROUP_DEFAULT, 'group');
}

export function listGroups(ctx: SimContext, call: GraphCall): GraphResponse {
  if (!holdsAny(call.principal, GROUP_READ)) throw accessDeniedDirectory();
  return listDirectory(ctx, call.req, {
    kind: 'groups',
    items: call.principal.tenant.tenant.groups,
    props: GROUP_PROPS,
    filterable: ['displayName', 'mail', 'id', 'mailEnabled', 'securityEnabled', 'mailNickname'],
    typeName: 'Group',
    context: 'groups',
    render: projectGroup,
  });
}

function findGroup(call: GraphCall): SimGroup {
  const id = decodeURIComponent(call.params[0]!);
  const group = call.principal.tenant.tenant.groups.find((g) => g.id.toLowerCase() === id.toLowerCase());
  if (!group) throw userNotFound(id);
  return group;
}

export function getGroup(ctx: SimContext, call: GraphCall): GraphResponse {
  if (!holdsAny(call.principal, GROUP_READ)) throw accessDeniedDirectory();
  const group = findGroup(call);
  return { status: 200, headers: {}, body: { '@odata.context': contextUrl(ctx, 'groups/$entity'), ...projectGroup(group, parseSelect(call.req)) } };
}

type Member = { kind: 'user'; user: SimUser } | { kind: 'group'; group: SimGroup };

function resolveMembers(tenant: Tenant, group: SimGroup, transitive: boolean): Member[] {
  const users = new Map(tenant.users.map((u) => [u.id, u]));
  const groups = new Map(tenant.groups.map((g) => [g.id, g]));
  const seen = new Set<string>();
  const out: Member[] = [];
  const queue = [group];
  seen.add(group.id);
  while (queue.length) {
    const g = queue.shift()!;
    for (const id of g.memberIds) {
      if (seen.has(id)) continue;
      const u = users.get(id);
      const sub = groups.get(id);
      if (!u && !sub) continue;
      seen.add(id);
      if (u) out.push({ kind: 'user', user: u });
      else {
        out.push({ kind: 'group', group: sub! });
        if (transitive) queue.push(sub!);
      }
    }
  }
  return out;
}

export function listMembers(transitive: boolean) {
  return (ctx: SimContext, call: GraphCall): GraphResponse => {
    if (!holdsAny(call.principal, MEMBER_READ)) throw accessDeniedDirectory();
    const group = findGroup(call);
    const cast = call.params[1]?.toLowerCase();
    let members = resolveMembers(call.principal.tenant.tenant, group, transitive);
    if (cast === '/microsoft.graph.user') members = members.filter((m) => m.kind === 'user');
    if (cast === '/microsoft.graph.group') members = members.filter((m) => m.kind === 'group');
    // Without a user-read permission Graph returns "limited information": type and id only.
    const view = userView(call.principal);
    return listDirectory(ctx, call.req, {
      kind: transitive ? 'transitiveMembers' : 'members',
      items: members,
      props: { id: (m: Member) => (m.kind === 'user' ? m.user.id : m.group.id), displayName: (m: Member) => (m.kind === 'user' ? m.user.displayName : m.group.displayName) },
      filterable: ['id', 'displayName'],
      typeName: 'DirectoryObject',
      context: 'directoryObjects',
      render: (m, select) =>
        m.kind === 'user'
          ? { '@odata.type': '#microsoft.graph.user', ...(view === 'none' ? { id: m.user.id } : projectUser(m.user, select, view)) }
          : { '@odata.type': '#microsoft.graph.group', ...projectGroup(m.group, select?.filter((s) => s.toLowerCase() in lowerKeys(GROUP_PROPS))) },
    });
  };
}

function lowerKeys(o: object): Record<string, true> {
  return Object.fromEntries(Object.keys(o).map((k) => [k.toLowerCase(), true]));
}

function initialDomain(tenant: Tenant): string {
  return `${tenant.spec.slug}.onmicrosoft.com`;
}

export function getOrganization(ctx: SimContext, call: GraphCall): GraphResponse {
  const p = call.principal;
  if (!holdsAny(p, ORG_READ) && !(p.kind === 'delegated' && holdsAny(p, ['User.Read']))) throw accessDeniedDirectory();
  const t = p.tenant.tenant;
  const domains = [...new Set([...t.verifiedDomains, initialDomain(t)])];
  const org: Record<string, unknown> = {
    id: t.spec.tenantId,
    displayName: t.spec.displayName,
    countryLetterCode: t.spec.countryLetterCode,
    country: null,
    defaultUsageLocation: t.spec.countryLetterCode,
    preferredLanguage: 'en',
    tenantType: 'AAD',
    createdDateTime: '2019-01-01T00:00:00Z',
    isMultipleDataLocationsForServicesEnabled: null,
    businessPhones: [],
    technicalNotificationMails: [],
    verifiedDomains: domains.map((name, i) => ({
      capabilities: 'Email, OfficeCommunicationsOnline',
      isDefault: i === 0,
      isInitial: name === initialDomain(t),
      name,
      type: 'Managed',
    })),
    assignedPlans: t.spec.licensed ? [{ assignedDateTime: '2019-01-01T00:00:00Z', capabilityStatus: 'Enabled', service: 'exchange', servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0' }] : [],
  };
  const select = parseSelect(call.req);
  const shaped = select ? Object.fromEntries(Object.entries(org).filter(([k]) => k === 'id' || select.some((s) => s.toLowerCase() === k.toLowerCase()))) : org;
  const one = call.params[0];
  if (one !== undefined) {
    if (decodeURIComponent(one).toLowerCase() !== t.spec.tenantId.toLowerCase()) throw userNotFound(one);
    return { status: 200, headers: {}, body: { '@odata.context': contextUrl(ctx, 'organization/$entity'), ...shaped } };
  }
  return { status: 200, headers: {}, body: { '@odata.context': contextUrl(ctx, 'organization'), value: [shaped] } };
}

export function listSubscribedSkus(ctx: SimContext, call: GraphCall): GraphResponse {
  if (!holdsAny(call.principal, SKU_READ)) throw accessDeniedDirectory();
  for (const key of call.req.query.keys()) {
    if (key.startsWith('$') && key !== '$select') throw badRequest(`Query option '${key.slice(1)}' is not allowed. Only $select is supported for subscribedSkus.`, 'Request_BadRequest');
  }
  const select = parseSelect(call.req);
  const value = call.principal.tenant.tenant.subscribedSkus.map((s) =>
    select ? Object.fromEntries(Object.entries(s).filter(([k]) => k === 'id' || select.some((x) => x.toLowerCase() === k.toLowerCase()))) : s,
  );
  return { status: 200, headers: {}, body: { '@odata.context': contextUrl(ctx, 'subscribedSkus'), value } };
}

function globalAdminRole(tenantId: string) {
  return {
    id: guidFromHash('directory-role', tenantId, GLOBAL_ADMIN_TEMPLATE_ID),
    deletedDateTime: null,
    description: 'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
    displayName: 'Global Administrator',
    roleTemplateId: GLOBAL_ADMIN_TEMPLATE_ID,
  };
}

export function listDirectoryRoles(ctx: SimContext, call: GraphCall): GraphResponse {
  if (!holdsAny(call.principal, ROLE_READ)) throw accessDeniedDirectory();
  return { status: 200, headers: {}, body: { '@odata.context': contextUrl(ctx, 'directoryRoles'), value: [globalAdminRole(call.principal.tenant.tenantId)] } };
}

/** `directoryRoles(roleTemplateId='…')/members` or `directoryRoles/{id}/members`; no paging (≤ 1,000). */
export function listRoleMembers(byTemplate: boolean) {
  return (ctx: SimContext, call: GraphCall): GraphResponse => {
    if (!holdsAny(call.principal, ROLE_READ)) throw accessDeniedDirectory();
    const role = globalAdminRole(call.principal.tenant.tenantId);
    const key = decodeURIComponent(call.params[0]!).toLowerCase();
    if ((byTemplate ? role.roleTemplateId : role.id) !== key) {
      throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
    }
    const select = parseSelect(call.req);
    const admins = call.principal.tenant.tenant.users.filter((u) => u.isGlobalAdmin).slice(0, 1000);
    const value = admins.map((u) => ({ '@odata.type': '#microsoft.graph.user', ...project(u, USER_PROPS, select, USER_DEFAULT, 'user') }));
    return { status: 200, headers: {}, body: { '@odata.context': contextUrl(ctx, 'directoryObjects'), value } };
  };
}
