/**
 * The admin consent an enrichment waits for, as it is stored on the enrichment. Consent owns the
 * shape and its transitions; the enrichments store keeps it inside each enrichment document.
 */

export type ConsentState = 'awaiting' | 'consented' | 'refused';

export interface ConsentRecord {
  state: ConsentState;
  requestedAt: Date | null;
  requestedBy: string | null;
  recipients: string[];
  decidedAt: Date | null;
  decidedBy: string | null;
  source: 'consent-link' | 'detected' | null;
  refusalReason: string | null;
}

export function initialConsent(): ConsentRecord {
  return { state: 'awaiting', requestedAt: null, requestedBy: null, recipients: [], decidedAt: null, decidedBy: null, source: null, refusalReason: null };
}
