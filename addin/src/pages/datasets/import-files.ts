/**
 * Pure helpers for the customer-data import: the content type the API expects for a file,
 * a small head of a large file for the preview, and a first guess at the column mapping.
 */

export type UploadContentType = 'text/csv' | 'application/json' | 'application/x-ndjson';

export function contentTypeFor(fileName: string): UploadContentType {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'application/json';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'application/x-ndjson';
  return 'text/csv';
}

/** Enough bytes for a 10-row preview of any sensible file. */
export const previewBytes = 64 * 1024;

/**
 * The start of a line-based file cut at its last complete line, so a 100 MB upload is not sent
 * twice just to show ten rows. JSON arrays cannot be cut safely and are sent whole.
 */
export function previewHead(text: string, complete: boolean): string {
  if (complete) return text;
  const cut = text.lastIndexOf('\n');
  return cut > 0 ? text.slice(0, cut + 1) : text;
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]/g, '');
}

/** The first column whose squashed name equals one of the candidates (in candidate order). */
export function guessColumn(columns: readonly string[], candidates: readonly string[]): string | undefined {
  for (const candidate of candidates) {
    const found = columns.find((c) => squash(c) === candidate);
    if (found) return found;
  }
  return undefined;
}

export const columnCandidates = {
  accountId: ['accountid', 'accountnumber', 'customerid', 'companyid', 'account', 'id'],
  accountName: ['accountname', 'name', 'companyname', 'company', 'customername'],
  domains: ['domains', 'domain', 'emaildomains', 'website', 'websites'],
  email: ['email', 'emailaddress', 'mail', 'smtp', 'address'],
} as const;

export interface AccountsColumns {
  accountIdColumn: string;
  nameColumn: string;
  domainsColumn: string;
}

export interface ContactsColumns {
  emailColumn: string;
  accountIdColumn: string;
}

export function guessAccountsColumns(columns: readonly string[]): AccountsColumns {
  return {
    accountIdColumn: guessColumn(columns, columnCandidates.accountId) ?? '',
    nameColumn: guessColumn(columns, columnCandidates.accountName) ?? '',
    domainsColumn: guessColumn(columns, columnCandidates.domains) ?? '',
  };
}

export function guessContactsColumns(columns: readonly string[]): ContactsColumns {
  return {
    emailColumn: guessColumn(columns, columnCandidates.email) ?? '',
    accountIdColumn: guessColumn(columns, columnCandidates.accountId) ?? '',
  };
}

/** Human file size, e.g. "12.3 MB", using the given number formatter. */
export function fileSize(bytes: number, formatNumber: (n: number) => string): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 102.4) / 10)} KB`;
  return `${formatNumber(Math.round(bytes / (1024 * 102.4)) / 10)} MB`;
}
