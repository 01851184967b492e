import { createHash } from 'node:crypto';
import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Access = 'public' | 'user' | 'admin';

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface OperationDoc {
  method: HttpMethod;
  /** Express path (`/api/things/:id`); converted to OpenAPI's `{id}` form. */
  path: string;
  summary: string;
  tags: string[];
  access: Access;
  /**
   * App-only callers (client-credentials tokens with EngagementData.Read.All) may call it too.
   * Only seller reads of results declare it; every other operation refuses an app's token.
   */
  apps?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A body the handler streams itself (uploads), documented by its media types. */
  streamedBody?: readonly string[];
  responses: Record<number, ResponseDoc>;
}

/** A notification this API sends to a receiver (OpenAPI 3.1 `webhooks`): its body and headers. */
export interface WebhookDoc {
  name: string;
  summary: string;
  description: string;
  body: z.ZodType;
  headers: Record<string, string>;
  /** What the receiver's answers mean. */
  responses: Record<string, string>;
}

const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const toJson = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;

/**
 * Collects the operations the routes declare and renders an OpenAPI 3.1 document from the
 * same zod schemas the routes validate with, so the document cannot drift from the code.
 */
export class ApiDocs {
  private readonly operations: OperationDoc[] = [];
  private readonly webhooks: WebhookDoc[] = [];

  /**
   * `checkResponses`: every JSON answer a route returns is checked against the response
   * schema it declares, and a mismatch is a 500 naming what differs. Tests turn it on, so the
   * document is checked against every response the suite receives; production does not pay
   * for it.
   */
  constructor(readonly options: { checkResponses?: boolean } = {}) {}

  add(op: OperationDoc): void {
    this.operations.push(op);
  }

  addWebhook(w: WebhookDoc): void {
    this.webhooks.push(w);
  }

  list(): readonly OperationDoc[] {
    return this.operations;
  }

  /** The methods documented for a concrete request path (empty when no operation has the path). */
  methodsAt(path: string): HttpMethod[] {
    return this.operations.filter((op) => pathPattern(op.path).test(path)).map((op) => op.method);
  }

  document(info: { title: string; version: string; serverUrl: string; appOnly: { authorityHost: string; scope: string } }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    const shared = new SharedSchemas();
    const schemaOf = (schema: z.ZodType, io: 'input' | 'output') => shared.hoist(stripMeta(toJson(schema, io)));
    for (const op of this.operations) {
      const path = op.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const parameters = [
        ...objectParameters(op.params, 'path', shared),
        ...objectParameters(op.query, 'query', shared),
      ];
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(op.responses)) {
        responses[status] = {
          description: r.description,
          ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: schemaOf(r.schema, 'output') } } } : {}),
        };
      }
      if (op.access !== 'public') {
        responses['401'] = problemResponse('Missing, expired or invalid token');
        responses['403'] = problemResponse(
          op.access === 'admin' ? 'The caller lacks the EngagementAdmin role (app-only tokens are always refused)'
          : op.apps ? 'The calling app lacks the EngagementData.Read.All application role'
          : 'App-only tokens are refused: this operation needs a signed-in user',
        );
      }
      responses.default = problemResponse('Error');
      (paths[path] ??= {})[op.method] = {
        summary: op.summary,
        tags: op.tags,
        operationId: `${op.method}${path.replace(/[{}]/g, '').split('/').filter(Boolean).map(capitalise).join('')}`,
        ...(parameters.length ? { parameters } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body, 'input') } } } } : {}),
        ...(op.streamedBody ? { requestBody: { required: true, content: Object.fromEntries(op.streamedBody.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) } } : {}),
        responses,
        // Which tokens it accepts: none (public), a person's Teams SSO token, or also an app-only token.
        security: op.access === 'public' ? [] : op.apps ? [{ teamsSso: [] }, { appOnly: [] }] : [{ teamsSso: [] }],
        // Who may call it: public (no token), user (any signed-in user of the tenant, sellers
        // included) or admin (EngagementAdmin). The role-model tests are generated from this.
        'x-access': op.access,
        ...(op.access === 'admin' ? { 'x-required-role': 'EngagementAdmin' } : {}),
        // Whether an app-only (client credentials) token may call it: seller reads of results only.
        'x-app-access': op.access !== 'public' && Boolean(op.apps),
      };
    }
    const webhooks: Record<string, unknown> = {};
    for (const w of this.webhooks) {
      webhooks[w.name] = {
        post: {
          summary: w.summary,
          description: w.description,
          operationId: `webhook${w.name.split(/[^A-Za-z0-9]+/).map(capitalise).join('')}`,
          parameters: Object.entries(w.headers).map(([name, description]) => ({ name, in: 'header', required: true, description, schema: { type: 'string' } })),
          requestBody: { required: true, content: { 'application/json': { schema: schemaOf(w.body, 'output') } } },
          responses: Object.fromEntries(Object.entries(w.responses).map(([status, description]) => [status, { description }])),
        },
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version },
      servers: [{ url: info.serverUrl }],
      security: [{ teamsSso: [] }],
      paths,
      ...(this.webhooks.length ? { webhooks } : {}),
      components: {
        securitySchemes: {
          teamsSso: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Delegated: an Entra ID access token for a signed-in user, from Teams SSO (authentication.getAuthToken); scp contains access_as_user. EngagementAdmin in roles makes an admin.' },
          appOnly: {
            type: 'oauth2',
            description: `App-only: an Entra ID client-credentials token another app obtained for this API (idtyp=app, roles containing EngagementData.Read.All, granted by a tenant administrator). It reads results exactly as a seller does (the operations with x-app-access: true) and is refused everywhere else.`,
            // Client credentials need the caller's tenant in the token URL: replace "organizations" with the tenant id.
            flows: { clientCredentials: { tokenUrl: `${info.appOnly.authorityHost}/organizations/oauth2/v2.0/token`, scopes: { [info.appOnly.scope]: 'The application roles granted to the calling app (EngagementData.Read.All)' } } },
          },
        },
        schemas: { Problem: schemaOf(problemSchema, 'output'), ...shared.schemas },
      },
    };
  }
}

const patterns = new Map<string, RegExp>();

/** `/api/things/:id/rows.csv` → a RegExp matching one concrete path of that shape. */
function pathPattern(expressPath: string): RegExp {
  let re = patterns.get(expressPath);
  if (!re) {
    const body = expressPath
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    re = new RegExp(`^${body}/?$`);
    patterns.set(expressPath, re);
  }
  return re;
}

function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
}

function objectParameters(schema: z.ZodObject | undefined, where: 'path' | 'query', shared: SharedSchemas) {
  if (!schema) return [];
  const json = shared.hoist(toJson(schema, 'input')) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

/**
 * zod renders a named or recursive schema as `$defs` inside the schema it belongs to, with
 * `#/$defs/…` references; in an OpenAPI document those resolve against the document's root, where
 * nothing is. Each definition moves to `components.schemas` (its own id, or a name derived from
 * its content, so the same recursive schema used by several operations is defined once) and the
 * references follow it.
 */
class SharedSchemas {
  readonly schemas: Record<string, unknown> = {};

  hoist(json: Record<string, unknown>): Record<string, unknown> {
    const { $defs, ...rest } = json as { $defs?: Record<string, unknown> };
    if (!$defs) return json;
    const names = new Map<string, string>();
    for (const [local, def] of Object.entries($defs)) {
      names.set(local, local.startsWith('__') ? `Schema${createHash('sha256').update(JSON.stringify(def)).digest('hex').slice(0, 10)}` : local);
    }
    const rewrite = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (!node || typeof node !== 'object') return node;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        const local = k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? v.slice('#/$defs/'.length) : undefined;
        out[k] = local !== undefined && names.has(local) ? `#/components/schemas/${names.get(local)}` : rewrite(v);
      }
      return out;
    };
    for (const [local, def] of Object.entries($defs)) this.schemas[names.get(local)!] = rewrite(def);
    return rewrite(rest) as Record<string, unknown>;
  }
}

function stripMeta(json: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = json;
  return rest;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).replace(/[^A-Za-z0-9]/g, '');
}
