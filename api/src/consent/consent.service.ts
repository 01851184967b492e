import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import type { DirectoryService } from '../directory/directory.service';
import { DELEGATED_MAIL_SCOPES } from '../directory/directory-graph';
import type { Principal } from '../platform/auth/principal';
import { AppError } from '../platform/errors/app-error';
import { toAppError, type GraphClientFactory } from '../platform/graph/graph-client.factory';
import { isWellFormedAddress, normalizeAddress } from '../datasets/dataset-rows';
import { REQUIRED_APP_ROLES, consentRequestMessage } from './consent-mail';
import type { ConsentRecord, ConsentState } from './consent-record';
import { adminConsentLink, createConsentState, verifyConsentState } from './consent-state';
import type { ConsentEventDocument, ConsentStore } from './consent.store';

export interface ConsentSettings {
  clientId: string;
  authorityHost: string;
  publicUrl: string;
  stateSecret: string;
}

export interface ConsentStatusView {
  state: ConsentRecord['state'];
  requestedAt: string | null;
  requestedBy: string | null;
  recipients: string[];
  decidedAt: string | null;
  decidedBy: string | null;
  source: ConsentRecord['source'];
  refusalReason: string | null;
  history: Array<{ at: string; event: ConsentEventDocument['event']; by: string | null; detail: string | null }>;
}

export interface ConsentRequestResult {
  link: string;
  sent: boolean;
  recipients: string[];
  recipientSource: 'global-admins' | 'supplied' | 'none';
  reason: string | null;
}

export type CallbackOutcome = { result: 'granted' | 'unconfirmed' | 'refused' | 'invalid'; enrichmentId?: string };

/** A refusal reason comes from the redirect's query: stored as plain text of bounded length. */
export const MAX_REFUSAL_REASON_CHARS = 500;

/** Acquires an app-only token for a tenant (client credentials); throws when not consented. */
export type AppTokenProbe = (tenantId: string) => Promise<string>;

/** What consent needs of an enrichment: its key, its name (for the request mail) and its consent record. */
export interface ConsentSubject {
  _id: string;
  tenantId: string;
  name: string;
  consent: ConsentRecord;
}

/**
 * Where the consent records are kept (the enrichments store, which holds them inside each
 * enrichment): consent reads and writes them through this, and never imports enrichments.
 */
export interface ConsentSubjects {
  get(tenantId: string, id: string): Promise<ConsentSubject | null>;
  /** Writes the record (only when the current state matches `onlyIf`); null when nothing was written. */
  setConsent(tenantId: string, id: string, consent: ConsentRecord, onlyIf?: Partial<Record<'consent.state', ConsentState | { $in: ConsentState[] }>>): Promise<ConsentSubject | null>;
  /** The tenant's subjects whose consent is not granted yet. */
  awaitingConsent(tenantId: string): Promise<ConsentSubject[]>;
}

export class ConsentService {
  constructor(
    private readonly settings: ConsentSettings,
    private readonly store: ConsentStore,
    private readonly enrichments: ConsentSubjects,
    private readonly directory: DirectoryService,
    private readonly graph: GraphClientFactory,
    private readonly appToken: AppTokenProbe,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async status(tenantId: string, enrichmentId: string): Promise<ConsentStatusView> {
    const e = await this.requireEnrichment(tenantId, enrichmentId);
    return this.view(e);
  }

  async view(e: ConsentSubject): Promise<ConsentStatusView> {
    const c = e.consent;
    const history = await this.store.history(e.tenantId, e._id);
    return {
      state: c.state,
      requestedAt: c.requestedAt?.toISOString() ?? null,
      // Documents stored before a field existed (or by an older version) lack it: absent is "none".
      requestedBy: c.requestedBy ?? null,
      recipients: c.recipients ?? [],
      decidedAt: c.decidedAt?.toISOString() ?? null,
      decidedBy: c.decidedBy ?? null,
      source: c.source ?? null,
      refusalReason: c.refusalReason ?? null,
      history: history.map((h) => ({ at: h.at.toISOString(), event: h.event, by: h.by, detail: h.detail })),
    };
  }

  private async requireEnrichment(tenantId: string, id: string): Promise<ConsentSubject> {
    const e = await this.enrichments.get(tenantId, id);
    if (!e) throw new AppError('not-found', `There is no enrichment ${id} in your organisation.`);
    return e;
  }

  /**
   * Sends the consent request as the signed-in admin (delegated Mail.Send: before consent the
   * app holds no application permission) to the Global Administrators when they can be read,
   * else to the recipients the admin supplied. The link is returned whatever happens to the mail.
   */
  async request(p: Principal, enrichmentId: string, supplied: string[] = []): Promise<ConsentRequestResult & { consent: ConsentStatusView }> {
    const e = await this.requireEnrichment(p.tenantId, enrichmentId);
    const result = await this.sendRequest(p, e, supplied);
    const updated = (await this.enrichments.get(p.tenantId, enrichmentId)) ?? e;
    return { ...result, consent: await this.view(updated) };
  }

  async sendRequest(p: Principal, e: ConsentSubject, supplied: string[]): Promise<ConsentRequestResult> {
    const now = this.now();
    const { state } = createConsentState(this.settings.stateSecret, p.tenantId, e._id, now);
    const link = adminConsentLink({ authorityHost: this.settings.authorityHost, tenantId: p.tenantId, clientId: this.settings.clientId, publicUrl: this.settings.publicUrl, state });

    const admins = await this.directory.globalAdminAddresses(p).catch((err: unknown) => {
      this.logger.warn({ code: (err as AppError).code }, 'global administrators could not be read');
      return null;
    });
    const extra = normaliseRecipients(supplied);
    let recipients: string[] = [];
    let recipientSource: ConsentRequestResult['recipientSource'] = 'none';
    if (admins?.length) {
      recipients = admins;
      recipientSource = 'global-admins';
    } else if (extra.length) {
      recipients = extra;
      recipientSource = 'supplied';
    }

    let sent = false;
    let reason: string | null = null;
    if (!recipients.length) {
      reason = 'The Global Administrators cannot be read before consent and no recipients were given: add the addresses to send the request to, or copy the link to them.';
    } else {
      try {
        await this.graph
          .forUser(p.tenantId, p.token, DELEGATED_MAIL_SCOPES)
          .api('/me/sendMail')
          .post({ message: consentRequestMessage({ enrichmentName: e.name, requesterName: p.displayName || 'An administrator', link, recipients }), saveToSentItems: true });
        sent = true;
      } catch (err) {
        const app = toAppError(err);
        reason = `The request mail could not be sent (${app.detail}); copy the link to your Global Administrators instead.`;
        this.logger.warn({ code: app.code }, 'consent request mail not sent');
      }
    }

    if (e.consent.state !== 'consented') {
      await this.enrichments.setConsent(p.tenantId, e._id, {
        ...e.consent,
        state: 'awaiting',
        requestedAt: now,
        requestedBy: p.userId,
        recipients: sent ? recipients : e.consent.recipients,
        refusalReason: null,
      });
    }
    await this.store.record({
      tenantId: p.tenantId,
      enrichmentId: e._id,
      at: now,
      event: 'requested',
      by: p.userId,
      detail: sent ? `Sent to ${recipients.length} recipient${recipients.length > 1 ? 's' : ''} (${recipientSource}).` : `Not sent: ${reason}`,
    });
    return { link, sent, recipients: sent ? recipients : [], recipientSource: sent ? recipientSource : 'none', reason };
  }

  /**
   * The browser lands here from Entra. Success is the absence of `error` with a valid state:
   * Entra sends `admin_consent=True` on failures too. Anything invalid changes nothing.
   */
  async callback(q: { state?: string; tenant?: string; error?: string; error_description?: string }): Promise<CallbackOutcome> {
    const now = this.now();
    const check = verifyConsentState(this.settings.stateSecret, q.state, now);
    if (!check.ok) {
      this.logger.warn({ reason: check.reason }, 'consent callback refused');
      return { result: 'invalid' };
    }
    const { tenantId, enrichmentId, nonce } = check.payload;
    if (q.tenant && q.tenant.toLowerCase() !== tenantId.toLowerCase()) {
      this.logger.warn({ reason: 'tenant-mismatch' }, 'consent callback refused');
      return { result: 'invalid' };
    }
    const e = await this.enrichments.get(tenantId, enrichmentId);
    if (!e) return { result: 'invalid' };
    if (!(await this.store.claimNonce({ nonce, tenantId, enrichmentId, usedAt: now }))) {
      this.logger.warn({ reason: 'replayed' }, 'consent callback refused');
      return { result: 'invalid', enrichmentId };
    }

    if (q.error) {
      const reason = plainText(`${q.error}${q.error_description ? `: ${q.error_description}` : ''}`, MAX_REFUSAL_REASON_CHARS);
      await this.enrichments.setConsent(tenantId, enrichmentId, { ...e.consent, state: 'refused', decidedAt: now, decidedBy: null, source: 'consent-link', refusalReason: reason });
      await this.store.record({ tenantId, enrichmentId, at: now, event: 'refused', by: null, detail: `Refused through the consent link: ${reason}` });
      return { result: 'refused', enrichmentId };
    }

    // Anyone holding the link can call this URL with admin_consent=True: the redirect proves
    // nothing. A grant is recorded only when it is confirmed the way "Check consent" confirms
    // one: a fresh app-only token for the tenant with the needed roles, and a Graph read.
    const unconfirmed = await this.unconfirmedGrant(tenantId);
    if (unconfirmed) {
      await this.store.record({ tenantId, enrichmentId, at: now, event: 'unconfirmed-callback', by: null, detail: `Callback received, consent not confirmed: ${unconfirmed}` });
      return { result: 'unconfirmed', enrichmentId };
    }

    // Entra's redirect does not name the approver; what is known is the tenant and the time.
    const decidedBy = `Global Administrator of tenant ${tenantId}`;
    await this.enrichments.setConsent(tenantId, enrichmentId, { ...e.consent, state: 'consented', decidedAt: now, decidedBy, source: 'consent-link', refusalReason: null });
    await this.store.record({ tenantId, enrichmentId, at: now, event: 'consented', by: null, detail: 'Granted through the consent link, and confirmed with an app-only token and a Microsoft Graph read.' });
    // Admin consent is tenant-wide: the tenant's other enrichments waiting for it have it too.
    await this.markTenantConsented(tenantId, enrichmentId, now, 'Admin consent was granted for the organisation through another enrichment\'s request.');
    return { result: 'granted', enrichmentId };
  }

  /** Why a grant cannot be confirmed now, or null when it is confirmed. */
  private async unconfirmedGrant(tenantId: string): Promise<string | null> {
    try {
      const missing = await this.missingRoles(tenantId);
      if (missing === null) return 'no app-only token could be obtained for the organisation, so nobody has granted consent yet.';
      if (missing.length) return `the app's permissions are incomplete (missing ${missing.join(', ')}).`;
      return null;
    } catch (err) {
      const app = toAppError(err);
      this.logger.warn({ code: app.code }, 'consent callback could not be confirmed');
      return 'Microsoft Graph could not be reached to confirm it; use "Check consent" in a few minutes.';
    }
  }

  /**
   * Detects consent granted directly in the admin centre: a client-credentials token for the
   * tenant must now be issued with every required application role, and a Graph read work.
   */
  async check(p: Principal, enrichmentId: string): Promise<ConsentStatusView> {
    const e = await this.requireEnrichment(p.tenantId, enrichmentId);
    const now = this.now();
    const missing = await this.missingRoles(p.tenantId);
    if (missing === null || missing.length) {
      const detail = missing === null ? 'No app-only token could be obtained: consent has not been granted.' : `Consent is incomplete: missing ${missing.join(', ')}.`;
      await this.store.record({ tenantId: p.tenantId, enrichmentId, at: now, event: 'detected', by: p.userId, detail: `Checked: ${detail}` });
      return this.view(e);
    }
    if (e.consent.state !== 'consented') {
      await this.enrichments.setConsent(p.tenantId, enrichmentId, { ...e.consent, state: 'consented', decidedAt: now, decidedBy: p.userId, source: 'detected', refusalReason: null });
      await this.store.record({ tenantId: p.tenantId, enrichmentId, at: now, event: 'detected', by: p.userId, detail: 'Consent detected: the app holds the required application permissions.' });
      await this.markTenantConsented(p.tenantId, enrichmentId, now, 'Consent detected while checking another enrichment.');
    }
    return this.status(p.tenantId, enrichmentId);
  }

  /** null when no token can be had; else the required roles the token lacks. */
  private async missingRoles(tenantId: string): Promise<string[] | null> {
    let token: string;
    try {
      token = await this.appToken(tenantId);
      // The read uses that fresh token itself: a cached one could predate a revocation.
      await this.graph.forToken(token).api('/organization').select(['id']).get();
    } catch (err) {
      const app = toAppError(err);
      if (app.code === 'consent-required') return null;
      throw app;
    }
    const roles = new Set((decodeJwt(token).roles as string[] | undefined) ?? []);
    return REQUIRED_APP_ROLES.filter((r) => !roles.has(r));
  }

  private async markTenantConsented(tenantId: string, exceptId: string, now: Date, detail: string): Promise<void> {
    for (const other of await this.enrichments.awaitingConsent(tenantId)) {
      if (other._id === exceptId) continue;
      const done = await this.enrichments.setConsent(
        tenantId,
        other._id,
        { ...other.consent, state: 'consented', decidedAt: now, decidedBy: other.consent.decidedBy, source: 'detected', refusalReason: null },
        { 'consent.state': other.consent.state },
      );
      if (done) await this.store.record({ tenantId, enrichmentId: other._id, at: now, event: 'detected', by: null, detail });
    }
  }
}

/** Text from outside, kept as text: no control characters, collapsed whitespace, at most `max` characters. */
export function plainText(text: string, max: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function normaliseRecipients(list: string[]): string[] {
  return [...new Set(list.map(normalizeAddress).filter(isWellFormedAddress))];
}

