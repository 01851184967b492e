/**
 * The customer dataset as the CSV files an admin would import (RFC 4180: CRLF line ends,
 * fields quoted when they contain a comma, quote, line break or surrounding space).
 */
import type { SimAccount, SimContact } from './tenant.types';

export function csvField(value: string): string {
  if (/[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

export function accountsCsv(accounts: readonly SimAccount[]): string {
  const lines = [csvLine(['AccountId', 'AccountName', 'Domains', 'Industry', 'Country'])];
  for (const a of accounts) lines.push(csvLine([a.id, a.name, a.domains.join(';'), a.industry, a.country]));
  return lines.join('\r\n') + '\r\n';
}

export function contactsCsv(contacts: readonly SimContact[]): string {
  const lines = [csvLine(['Email', 'AccountId', 'FirstName', 'LastName', 'JobTitle'])];
  for (const c of contacts) lines.push(csvLine([c.email, c.accountId, c.firstName, c.lastName, c.jobTitle]));
  return lines.join('\r\n') + '\r\n';
}
