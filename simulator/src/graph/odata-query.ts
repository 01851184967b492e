import { GraphError, badRequest } from './graph-errors';
import type { GraphRequest } from './graph-types';

export function parseSelect(req: GraphRequest): string[] | undefined {
  const raw = req.query.get('$select');
  if (raw === null || raw.trim() === '') return undefined;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

export function parseTop(req: GraphRequest, max: number, code = 'BadRequest'): number | undefined {
  const raw = req.query.get('$top');
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new GraphError(400, code, `Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`);
  }
  return n;
}

export interface Preferences {
  immutableId: boolean;
  maxPageSize?: number;
}

/** Parses `Prefer` (comma-separated, possibly repeated): IdType and odata.maxpagesize. */
export function parsePrefer(req: GraphRequest): Preferences {
  const raw = req.headers['prefer'] ?? '';
  const prefs: Preferences = { immutableId: false };
  for (const part of raw.split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (!name) continue;
    if (name.toLowerCase() === 'idtype' && value?.replace(/"/g, '').toLowerCase() === 'immutableid') prefs.immutableId = true;
    if (name.toLowerCase() === 'odata.maxpagesize' && value) {
      const n = Number(value);
      if (Number.isInteger(n) && n > 0) prefs.maxPageSize = n;
    }
  }
  return prefs;
}

export function preferenceApplied(prefs: Preferences, pageSizeApplied: boolean): Record<string, string> {
  const applied: string[] = [];
  if (prefs.immutableId) applied.push('IdType="ImmutableId"');
  if (pageSizeApplied && prefs.maxPageSize) applied.push(`odata.maxpagesize=${prefs.maxPageSize}`);
  return applied.length ? { 'Preference-Applied': applied.join(', ') } : {};
}

/** Splits on top-level ` and ` (outside quotes and parentheses), case-insensitively. */
export function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const lower = filter.toLowerCase();
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && lower.startsWith(' and ', i)) {
      parts.push(filter.slice(start, i).trim());
      start = i + 5;
      i += 4;
    }
  }
  parts.push(filter.slice(start).trim());
  return parts.filter(Boolean);
}

export type CompareOp = 'eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt';

/** A comparison `prop op value` from an OData filter; value is a string, boolean or ISO instant. */
export interface Comparison {
  prop: string;
  op: CompareOp;
  value: string | boolean | number;
  /** Set for datetime literals: epoch ms. */
  instant?: number;
}

const COMPARISON_RE = /^([A-Za-z][\w/]*)\s+(eq|ne|ge|gt|le|lt)\s+(.+)$/i;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

export function parseComparison(clause: string): Comparison | undefined {
  const m = COMPARISON_RE.exec(clause.trim());
  if (!m) return undefined;
  const prop = m[1]!;
  const op = m[2]!.toLowerCase() as CompareOp;
  let raw = m[3]!.trim();
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) {
    raw = raw.slice(1, -1).replace(/''/g, "'");
    if (DATETIME_RE.test(raw)) return { prop, op, value: raw, instant: parseInstant(raw) };
    return { prop, op, value: raw };
  }
  if (raw === 'true' || raw === 'false') return { prop, op, value: raw === 'true' };
  if (DATETIME_RE.test(raw)) {
    const instant = parseInstant(raw);
    if (Number.isNaN(instant)) return undefined;
    return { prop, op, value: raw, instant };
  }
  if (/^-?\d+(\.\d+)?$/.test(raw)) return { prop, op, value: Number(raw) };
  return undefined;
}

/** ISO date-time; without an offset it is read as UTC (as Graph does for calendarView). */
export function parseInstant(raw: string): number {
  const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(raw);
  return Date.parse(hasOffset ? raw : `${raw}Z`);
}

export function compare(a: number | string | boolean, op: CompareOp, b: number | string | boolean): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'ge':
      return a >= b;
    case 'gt':
      return a > b;
    case 'le':
      return a <= b;
    case 'lt':
      return a < b;
  }
}

export function requireConsistencyEventual(req: GraphRequest, feature: string): void {
  if ((req.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') {
    throw badRequest(`Request with ${feature} query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'`, 'Request_UnsupportedQuery');
  }
}
