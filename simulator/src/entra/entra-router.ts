import express, { type Request, type Response, type Router } from 'express';
import { randomUUID } from 'node:crypto';
import { REQUIRED_APP_ROLES, type SimTenantHandle } from '../state/sim-tenant-handle';
import type { SimUser } from '../tenant/tenant.types';
import { appDisplayName, findTenant, type SimContext } from '../sim-context';
import { EntraError, correlationIdOf, sendEntraError } from './entra-errors';
import { adminConsentPage, errorPage, signInPage, tenantPickerPage } from './entra-pages';
import { GRAPH_RESOURCE, issueSsoToken } from './entra-tokens';
import { handleTokenRequest, type TokenForm } from './token-endpoint';

const MULTI_TENANT_SEGMENTS = new Set(['common', 'organizations']);
const EU_COUNTRIES = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH GB'.split(' '),
);
const NA_COUNTRIES = new Set(['US', 'CA', 'MX']);

/** Entra's `tenant_region_scope` by the tenant's country (GB is served from the EU scope). */
export function tenantRegionScope(countryLetterCode: string): 'NA' | 'EU' | 'WW' {
  const c = countryLetterCode.toUpperCase();
  if (NA_COUNTRIES.has(c)) return 'NA';
  if (EU_COUNTRIES.has(c)) return 'EU';
  return 'WW';
}

function openIdConfiguration(ctx: SimContext, segment: string, handle: SimTenantHandle | undefined): Record<string, unknown> {
  const base = ctx.url;
  const issuerTenant = handle ? handle.tenantId : '{tenantid}';
  return {
    token_endpoint: `${base}/${segment}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${segment}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${GRAPH_RESOURCE}/oidc/userinfo`,
    authorization_endpoint: `${base}/${segment}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/${segment}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${segment}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/${segment}/kerberos`,
    tenant_region_scope: handle ? tenantRegionScope(handle.tenant.spec.countryLetterCode) : null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

function jwks(ctx: SimContext): { keys: Array<Record<string, unknown>> } {
  return { keys: [{ ...ctx.keys.publicJwk, issuer: `${ctx.url}/{tenantid}/v2.0` }] };
}

function stringParams(source: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(source ?? {})) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
  }
  return out;
}

function sendErrorPage(req: Request, res: Response, status: number, code: number, message: string): void {
  res.status(status).type('html').send(errorPage({ code, message, correlationId: correlationIdOf(req) }));
}

function withQuery(target: string, params: Record<string, string | undefined>): string {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

function withFragment(target: string, params: Record<string, string | undefined>): string {
  const fragment = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) fragment.set(k, v);
  return `${target.split('#')[0]}#${fragment.toString()}`;
}

function pickerLinks(ctx: SimContext, pathAfterTenant: string, query: Record<string, string | undefined>) {
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return [...ctx.tenants.values()].map((t) => ({ href: `/${t.tenantId}${pathAfterTenant}?${qs}`, label: `${t.tenant.spec.displayName} (${t.tenantId})` }));
}

/** The app's own API scope (`api://…/{clientId}/access_as_user` or `…/.default`). */
function requestsAppScope(ctx: SimContext, scope: string | undefined): boolean {
  return (scope ?? '')
    .split(/\s+/)
    .some((s) => s.startsWith('api://') && (s.endsWith(`/${ctx.clientApp.clientId}/access_as_user`) || s.endsWith(`/${ctx.clientApp.clientId}/.default`)));
}

function checkClientAndRedirect(ctx: SimContext, req: Request, res: Response, handle: SimTenantHandle, p: Record<string, string | undefined>): boolean {
  if (p.client_id !== ctx.clientApp.clientId) {
    sendErrorPage(req, res, 400, 700016, `Application with identifier '${p.client_id ?? ''}' was not found in the directory '${handle.tenant.spec.displayName}'.`);
    return false;
  }
  if (!p.redirect_uri || !ctx.clientApp.redirectUris.includes(p.redirect_uri)) {
    sendErrorPage(
      req,
      res,
      400,
      50011,
      `The redirect URI '${p.redirect_uri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${ctx.clientApp.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
    );
    return false;
  }
  return true;
}

function enabledUsers(handle: SimTenantHandle): SimUser[] {
  return handle.tenant.users.filter((u) => u.accountEnabled);
}

export function createEntraRouter(ctx: SimContext): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '256kb' });

  router.get('/common/discovery/instance', (req, res) => {
    const host = new URL(ctx.url).host;
    const authEndpoint = typeof req.query.authorization_endpoint === 'string' ? req.query.authorization_endpoint : `${ctx.url}/common/oauth2/v2.0/authorize`;
    const tenantSegment = new URL(authEndpoint, ctx.url).pathname.split('/')[1] ?? 'common';
    res.json({
      tenant_discovery_endpoint: `${ctx.url}/${tenantSegment}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  router.get(['/common/discovery/v2.0/keys', '/common/discovery/keys'], (_req, res) => {
    res.json(jwks(ctx));
  });

  router.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const segment = req.params.tenant;
    if (MULTI_TENANT_SEGMENTS.has(segment)) return void res.json(openIdConfiguration(ctx, segment, undefined));
    const handle = findTenant(ctx, segment);
    if (!handle) {
      return void sendEntraError(req, res, 400, 'invalid_tenant', 90002, `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    res.json(openIdConfiguration(ctx, segment, handle));
  });

  router.get(['/:tenant/discovery/v2.0/keys', '/:tenant/discovery/keys'], (req, res) => {
    const segment = String(req.params.tenant);
    if (!MULTI_TENANT_SEGMENTS.has(segment) && !findTenant(ctx, segment)) {
      return void sendEntraError(req, res, 400, 'invalid_tenant', 90002, `Tenant '${segment}' not found.`);
    }
    res.json(jwks(ctx));
  });

  router.post('/:tenant/oauth2/v2.0/token', form, async (req, res) => {
    const correlationId = correlationIdOf(req);
    try {
      const body = await handleTokenRequest(ctx, req.params.tenant, stringParams(req.body as Record<string, unknown>) as TokenForm);
      res.set('client-request-id', correlationId).set('x-ms-request-id', randomUUID()).set('Cache-Control', 'no-store').json(body);
    } catch (err) {
      if (!(err instanceof EntraError)) throw err;
      ctx.log(`entra token refused: AADSTS${err.code} tenant=${req.params.tenant}`);
      sendEntraError(req, res, err.status, err.error, err.code, err.message, err.suberror);
    }
  });

  const authorize = async (req: Request, res: Response) => {
    const p = req.method === 'POST' ? stringParams(req.body as Record<string, unknown>) : stringParams(req.query as Record<string, unknown>);
    const segment = String(req.params.tenant);
    const { userId, ...query } = p;
    if (MULTI_TENANT_SEGMENTS.has(segment)) {
      return void res.type('html').send(tenantPickerPage({ title: 'Sign in', links: pickerLinks(ctx, '/oauth2/v2.0/authorize', query) }));
    }
    const handle = findTenant(ctx, segment);
    if (!handle) return void sendErrorPage(req, res, 400, 90002, `Tenant '${segment}' not found.`);
    if (!checkClientAndRedirect(ctx, req, res, handle, p)) return;
    const redirectUri = p.redirect_uri!;
    const responseTypes = (p.response_type ?? '').split(/\s+/);
    if (!responseTypes.includes('token')) {
      return void res.redirect(
        302,
        withFragment(redirectUri, { error: 'unsupported_response_type', error_description: 'AADSTS70005: The simulator supports response_type=token for the dev sign-in.', state: p.state }),
      );
    }
    if (!requestsAppScope(ctx, p.scope)) {
      return void res.redirect(
        302,
        withFragment(redirectUri, { error: 'invalid_scope', error_description: `AADSTS70011: The provided value for the input parameter 'scope' is not valid. Request api://…/${ctx.clientApp.clientId}/access_as_user.`, state: p.state }),
      );
    }
    if (req.method === 'GET' || !userId) {
      const users = enabledUsers(handle);
      return void res.type('html').send(
        signInPage({ tenantName: handle.tenant.spec.displayName, action: `/${segment}/oauth2/v2.0/authorize`, fields: query, personas: users.filter((u) => u.persona), users }),
      );
    }
    const user = handle.tenant.users.find((u) => u.id === userId);
    if (!user || !user.accountEnabled) return void sendErrorPage(req, res, 400, 50034, 'The user account does not exist in this directory or is disabled.');
    const { token } = await issueSsoToken(ctx, handle, user);
    res.redirect(302, withFragment(redirectUri, { access_token: token, token_type: 'Bearer', expires_in: '3599', scope: p.scope, state: p.state, session_state: randomUUID() }));
  };
  router.get('/:tenant/oauth2/v2.0/authorize', authorize);
  router.post('/:tenant/oauth2/v2.0/authorize', form, authorize);

  const adminConsent = (req: Request, res: Response) => {
    const p = req.method === 'POST' ? stringParams(req.body as Record<string, unknown>) : stringParams(req.query as Record<string, unknown>);
    const segment = String(req.params.tenant);
    const { userId, decision, ...query } = p;
    if (segment === 'common' || segment === 'consumers') {
      return void sendErrorPage(req, res, 400, 900023, `The '${segment}' endpoint cannot be used for admin consent. Use a tenant id, a verified domain or 'organizations'.`);
    }
    if (segment === 'organizations') {
      return void res.type('html').send(tenantPickerPage({ title: 'Grant admin consent', links: pickerLinks(ctx, '/v2.0/adminconsent', query) }));
    }
    const handle = findTenant(ctx, segment);
    if (!handle) return void sendErrorPage(req, res, 400, 90002, `Tenant '${segment}' not found.`);
    if (!checkClientAndRedirect(ctx, req, res, handle, p)) return;
    const redirectUri = p.redirect_uri!;
    const tid = handle.tenantId;
    if (req.method === 'GET' || !decision) {
      const users = enabledUsers(handle);
      const admins = users.filter((u) => u.isGlobalAdmin);
      // Personas first, then a bounded slice so the page stays small in 2,500-user tenants.
      const others = users.filter((u) => !u.isGlobalAdmin).sort((a, b) => Number(!!b.persona) - Number(!!a.persona)).slice(0, 200);
      return void res.type('html').send(
        adminConsentPage({ tenantName: handle.tenant.spec.displayName, appName: appDisplayName(ctx), action: `/${segment}/v2.0/adminconsent`, fields: query, permissions: REQUIRED_APP_ROLES, admins, others }),
      );
    }
    if (decision !== 'approve') {
      return void res.redirect(
        302,
        withQuery(redirectUri, {
          error: 'access_denied',
          error_description: 'AADSTS65004: User declined to consent to access the app.',
          admin_consent: 'True',
          tenant: tid,
          state: p.state,
        }),
      );
    }
    const approver = handle.tenant.users.find((u) => u.id === userId && u.accountEnabled);
    if (!approver || !approver.isGlobalAdmin) {
      return void sendErrorPage(
        req,
        res,
        403,
        90094,
        `Admin approval required. ${appDisplayName(ctx)} needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.`,
      );
    }
    handle.grantConsent(approver.id);
    ctx.log(`admin consent granted tenant=${tid}`);
    res.redirect(
      302,
      withQuery(redirectUri, { admin_consent: 'True', tenant: tid, state: p.state, scope: REQUIRED_APP_ROLES.map((r) => `${GRAPH_RESOURCE}/${r}`).join(' ') }),
    );
  };
  router.get('/:tenant/v2.0/adminconsent', adminConsent);
  router.post('/:tenant/v2.0/adminconsent', form, adminConsent);

  return router;
}
