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
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A body the handler streams itself (uploads), documented by its media types. */
  streamedBody?: readonly string[];
  responses: Record<number, ResponseDoc>;
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

  add(op: OperationDoc): void {
    this.operations.push(op);
  }

  list(): readonly OperationDoc[] {
    return this.operations;
  }

  /** The methods documented for a concrete request path (empty when no operation has the path). */
  methodsAt(path: string): HttpMethod[] {
    return this.operations.filter((op) => pathPattern(op.path).test(path)).map((op) => op.method);
  }

  document(info: { title: string; version: string; serverUrl: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.operations) {
      const path = op.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const parameters = [
        ...objectParameters(op.params, 'path'),
        ...objectParameters(op.query, 'query'),
      ];
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(op.responses)) {
        responses[status] = {
          description: r.description,
          ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: stripMeta(toJson(r.schema, 'output')) } } } : {}),
        };
      }
      if (op.access !== 'public') {
        responses['401'] = problemResponse('Missing, expired or invalid token');
        if (op.access === 'admin') responses['403'] = problemResponse('The caller lacks the EngagementAdmin role');
      }
      responses.default = problemResponse('Error');
      (paths[path] ??= {})[op.method] = {
        summary: op.summary,
        tags: op.tags,
        operationId: `${op.method}${path.replace(/[{}]/g, '').split('/').filter(Boolean).map(capitalise).join('')}`,
        ...(parameters.length ? { parameters } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: stripMeta(toJson(op.body, 'input')) } } } } : {}),
        ...(op.streamedBody ? { requestBody: { required: true, content: Object.fromEntries(op.streamedBody.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) } } : {}),
        responses,
        ...(op.access === 'public' ? { security: [] } : {}),
        // Who may call it: public (no token), user (any signed-in user of the tenant, sellers
        // included) or admin (EngagementAdmin). The role-model tests are generated from this.
        'x-access': op.access,
        ...(op.access === 'admin' ? { 'x-required-role': 'EngagementAdmin' } : {}),
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version },
      servers: [{ url: info.serverUrl }],
      security: [{ teamsSso: [] }],
      paths,
      components: {
        securitySchemes: {
          teamsSso: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Entra ID access token from Teams SSO (authentication.getAuthToken)' },
        },
        schemas: { Problem: stripMeta(toJson(problemSchema, 'output')) },
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

function objectParameters(schema: z.ZodObject | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = toJson(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

function stripMeta(json: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = json;
  return rest;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).replace(/[^A-Za-z0-9]/g, '');
}
