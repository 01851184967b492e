/**
 * Pure rules for customer-data rows: what makes an account or contact row acceptable, and the
 * one normal form addresses are compared in (trimmed, lower-cased) everywhere in the app.
 */

export type RejectionReason =
  | 'missing-account-id'
  | 'missing-address'
  | 'malformed-address'
  | 'duplicate-account'
  | 'duplicate-address'
  | 'unknown-account'
  | 'row-malformed';

export interface Rejection {
  stage: 'accounts' | 'contacts';
  row: number;
  column: string;
  reason: RejectionReason;
  message: string;
  value: string;
}

export type RawRecord = Record<string, string>;

/** Trimmed and lower-cased: the only form addresses are stored, indexed and matched in. */
export function normalizeAddress(value: string): string {
  return value.trim().toLowerCase();
}

// A pragmatic address shape: one @, a local part without spaces, a dotted domain of labels.
const ADDRESS = /^[^\s@"(),:;<>[\]\\]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function isWellFormedAddress(normalized: string): boolean {
  return normalized.length <= 254 && ADDRESS.test(normalized);
}

export function domainOf(normalizedAddress: string): string {
  return normalizedAddress.slice(normalizedAddress.lastIndexOf('@') + 1);
}

const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export function isWellFormedDomain(normalized: string): boolean {
  return normalized.length <= 253 && DOMAIN.test(normalized);
}

export interface AccountsMapping {
  accountIdColumn: string;
  nameColumn?: string;
  domainsColumn?: string;
}

export interface ContactsMapping {
  emailColumn: string;
  accountIdColumn: string;
}

export interface AccountRow {
  accountId: string;
  name: string;
  domains: string[];
  attributes: Record<string, string>;
}

export interface ContactRow {
  accountId: string;
  /** Normalised address from the import's email column. */
  address: string;
  fields: Record<string, string>;
}

const cell = (record: RawRecord, column: string) => (record[column] ?? '').trim();

/** Checks one account row; `seen` carries the ids of earlier valid rows (duplicates are rejected). */
export function checkAccountRow(
  record: RawRecord,
  row: number,
  mapping: AccountsMapping,
  seen: Set<string>,
): { ok: true; value: AccountRow } | { ok: false; rejection: Rejection } {
  const accountId = cell(record, mapping.accountIdColumn);
  const reject = (reason: RejectionReason, message: string, value: string) =>
    ({ ok: false as const, rejection: { stage: 'accounts' as const, row, column: mapping.accountIdColumn, reason, message, value } });
  if (!accountId) return reject('missing-account-id', 'The row has no account id.', '');
  if (seen.has(accountId)) return reject('duplicate-account', `Account id ${accountId} already appears on an earlier row.`, accountId);
  seen.add(accountId);
  const mapped = new Set([mapping.accountIdColumn, mapping.nameColumn, mapping.domainsColumn].filter(Boolean) as string[]);
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (!mapped.has(k)) attributes[k] = v.trim();
  const domains = mapping.domainsColumn
    ? [...new Set(cell(record, mapping.domainsColumn).split(/[;,\s]+/).map(normalizeAddress).filter((d) => d && isWellFormedDomain(d)))]
    : [];
  const name = (mapping.nameColumn ? cell(record, mapping.nameColumn) : '') || accountId;
  return { ok: true, value: { accountId, name, domains, attributes } };
}

/** Checks one contact row against the staged accounts and the addresses of earlier valid rows. */
export function checkContactRow(
  record: RawRecord,
  row: number,
  mapping: ContactsMapping,
  accounts: ReadonlySet<string>,
  seenAddresses: Set<string>,
): { ok: true; value: ContactRow } | { ok: false; rejection: Rejection } {
  const accountId = cell(record, mapping.accountIdColumn);
  const raw = cell(record, mapping.emailColumn);
  const address = normalizeAddress(raw);
  const reject = (column: string, reason: RejectionReason, message: string, value: string) =>
    ({ ok: false as const, rejection: { stage: 'contacts' as const, row, column, reason, message, value } });
  if (!accountId) return reject(mapping.accountIdColumn, 'missing-account-id', 'The row has no account id.', '');
  if (!raw) return reject(mapping.emailColumn, 'missing-address', 'The row has no email address.', '');
  if (!isWellFormedAddress(address)) return reject(mapping.emailColumn, 'malformed-address', `"${raw}" is not a valid email address.`, raw);
  if (!accounts.has(accountId)) {
    return reject(mapping.accountIdColumn, 'unknown-account', `Account id ${accountId} is not among the imported accounts.`, accountId);
  }
  if (seenAddresses.has(address)) return reject(mapping.emailColumn, 'duplicate-address', `The address appears on an earlier row.`, raw);
  seenAddresses.add(address);
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) fields[k] = v.trim();
  return { ok: true, value: { accountId, address, fields } };
}
