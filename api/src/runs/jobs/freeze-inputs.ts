import { halfLifeOf, privacyThresholdOf } from '../../enrichments/enrichment-rules';
import { classifyGraphError, graphErrorFacts } from '../../platform/graph/classify-graph-error';
import type { RunInputs } from '../domain/run-inputs';
import type { RunDocument } from '../lifecycle/runs.store';
import type { RunJobContext } from './run-jobs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What the run computes from, read once at its start: the enrichment's selected mailboxes
 * (sorted by user id: the order is each mailbox's index), its dataset, mapping and exclusions,
 * and the organisation's verified domains from Graph. Throws with the reason the admin sees.
 */
export async function freezeInputs(ctx: RunJobContext, run: RunDocument): Promise<RunInputs> {
  const e = await ctx.enrichments.get(run.tenantId, run.enrichmentId);
  if (!e) throw new Error('The enrichment was deleted.');
  if (e.consent.state !== 'consented') throw new Error('The organisation has not granted admin consent; no data can be read.');
  const dataset = await ctx.datasets.get(run.tenantId, e.datasetId);
  if (!dataset) throw new Error('The customer dataset of the enrichment no longer exists; choose another dataset.');
  const mailboxes = [...e.mailboxes.resolved].map((m) => ({ userId: m.userId, mail: m.mail.toLowerCase() })).sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  if (mailboxes.length === 0) throw new Error('The enrichment has no selected mailbox that resolves.');
  return {
    entityName: e.entityName,
    mailboxes,
    datasetId: dataset._id,
    datasetVersion: dataset.version,
    accountsVersionId: dataset.accountsVersionId,
    contactsVersionId: dataset.contactsVersionId,
    mapping: e.mapping,
    exclusions: e.exclusions,
    matchAccountDomains: e.matchAccountDomains,
    organisationDomains: await organisationDomains(ctx, run.tenantId),
    halfLifeDays: halfLifeOf(e),
    privacyThreshold: privacyThresholdOf(e),
  };
}

async function organisationDomains(ctx: RunJobContext, tenantId: string): Promise<string[]> {
  const policy = ctx.options.retry;
  for (let attempt = 1; ; attempt++) {
    try {
      const org = (await ctx.graph.forApp(tenantId).api('/organization').select(['verifiedDomains']).get()) as { value?: Array<{ verifiedDomains?: Array<{ name: string }> }> };
      return (org.value?.[0]?.verifiedDomains ?? []).map((d) => d.name.toLowerCase());
    } catch (err) {
      const kind = classifyGraphError(graphErrorFacts(err));
      // Outages and throttling are retried like a mailbox page; anything else ends the run.
      if (attempt >= policy.attempts || !['transient', 'throttled', 'unknown'].includes(kind)) {
        throw new Error(`The organisation's domains could not be read from Microsoft Graph (${kind}).`, { cause: err });
      }
      await sleep(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
    }
  }
}
