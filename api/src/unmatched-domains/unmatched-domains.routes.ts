import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { sendCsv } from '../platform/csv/csv-writer';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { idParam } from '../platform/http/id-param';
import { UNMATCHED_DOMAINS_CSV_COLUMNS, unmatchedDomainsCsvRows, type UnmatchedDomainsService } from './unmatched-domains.service';

const params = z.object({ id: idParam });
const query = z.object({ runId: idParam.optional().describe('A kept run (default: the published one)') }).strict();

export const unmatchedDomainsView = z.object({
  runId: z.string().nullable().describe('The run the figures are from; null before any published run'),
  asOf: z.string().nullable(),
  domains: z
    .array(
      z.object({
        domain: z.string(),
        emailsToDomain: z.number(),
        emailsFromDomain: z.number(),
        meetings: z.number(),
        meetingsByDomain: z.number(),
        peopleTheirs: z.number().describe('Distinct people of the domain on counted items (at least 3)'),
        peopleOurs: z.number().describe('Distinct selected mailboxes on counted items (at least 3)'),
        lastContact: z.string(),
      }),
    )
    .describe('Busiest first; only domains with at least 3 of their people and 3 of ours'),
  belowThreshold: z.number().describe('Unmatched domains left out because fewer than 3 people on a side were involved'),
  externalEmails: z.number(),
  unmatchedEmails: z.number(),
  unmatchedShare: z.number().nullable().describe('unmatchedEmails / externalEmails (0–1); null without external email'),
});

export function unmatchedDomainsRoutes(docs: ApiDocs, service: UnmatchedDomainsService): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/unmatched-domains', summary: 'Busy external domains that match no account (counts only)', tags: ['results'], access: 'admin',
    params, query,
    responses: { 200: { description: 'Unmatched domains of the run', schema: unmatchedDomainsView } },
  }, async ({ params: p, query: q, req }) => service.view(principalOf(req).tenantId, p.id, q.runId));

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/unmatched-domains.csv', summary: 'The listed unmatched domains as a CSV ready to import as accounts (AccountId, Name, Domains)', tags: ['results'], access: 'admin',
    params, query,
    responses: { 200: { description: 'CSV (UTF-8 with a byte order mark): one account per domain', schema: z.string(), contentType: 'text/csv' } },
  }, async ({ params: p, query: q, req, res }) => {
    const view = await service.view(principalOf(req).tenantId, p.id, q.runId);
    await sendCsv(res, { name: `Unmatched-domains-${(view.asOf ?? new Date().toISOString()).slice(0, 10)}.csv`, columns: UNMATCHED_DOMAINS_CSV_COLUMNS, rows: unmatchedDomainsCsvRows(view.domains) });
    return undefined;
  });
  return router;
}
