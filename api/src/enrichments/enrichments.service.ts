import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { ConsentRequestResult, ConsentService } from '../consent/consent.service';
import { initialConsent } from '../consent/consent-record';
import type { DatasetsService } from '../datasets/datasets.service';
import type { DirectoryService } from '../directory/directory.service';
import { mailboxCountProblem } from '../directory/mailbox-resolution';
import type { Principal } from '../platform/auth/principal';
import { isDuplicateKeyError } from '../platform/db/duplicate-key';
import { AppError } from '../platform/errors/app-error';
import { DEFAULT_ENTITY_NAME, ENRICHMENT_NAME, ENRICHMENT_NAME_RULE, HALF_LIFE_DAYS, halfLifeOf, MAX_EXCLUSIONS, nameKey, normaliseExclusions, privacyThresholdOf, userEntityName } from './enrichment-rules';
import type { EnrichmentInput } from './enrichments.schema';
import { stateOf, type EnrichmentContent, type EnrichmentDocument, type EnrichmentsStore, type WriteOutcome } from './enrichments.store';

export class EnrichmentsService {
  constructor(
    private readonly store: EnrichmentsStore,
    private readonly datasets: DatasetsService,
    private readonly directory: DirectoryService,
    private readonly consent: ConsentService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(tenantId: string) {
    return this.store.list(tenantId);
  }

  async get(tenantId: string, id: string) {
    return this.view(await this.require(tenantId, id));
  }

  private async require(tenantId: string, id: string): Promise<EnrichmentDocument> {
    const e = await this.store.get(tenantId, id);
    if (!e) throw new AppError('not-found', `There is no enrichment ${id} in your organisation.`);
    return e;
  }

  async view(e: EnrichmentDocument) {
    const dataset = await this.datasets.store.get(e.tenantId, e.datasetId);
    return {
      id: e._id,
      name: e.name,
      entityName: e.entityName,
      userEntityName: userEntityName(e.entityName),
      state: stateOf(e),
      paused: e.paused,
      mailboxes: e.mailboxes,
      datasetId: e.datasetId,
      datasetName: dataset?.name ?? null,
      mapping: { emailField: e.mapping.emailField, accountIdField: e.mapping.accountIdField, ownerField: e.mapping.ownerField ?? null },
      exclusions: e.exclusions,
      matchAccountDomains: e.matchAccountDomains,
      halfLifeDays: halfLifeOf(e),
      privacyThreshold: privacyThresholdOf(e),
      consentAgreement: { agreedBy: e.consentAgreement.agreedBy, agreedAt: e.consentAgreement.agreedAt.toISOString() },
      consent: await this.consent.view(e),
      version: e.version,
      createdBy: e.createdBy,
      updatedBy: e.updatedBy,
      createdAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
    };
  }

  async nameAvailability(tenantId: string, name: string, excludeId?: string): Promise<{ available: boolean; reason: string | null }> {
    const trimmed = name.trim();
    if (!ENRICHMENT_NAME.test(trimmed)) return { available: false, reason: `Use ${ENRICHMENT_NAME_RULE}.` };
    const other = await this.store.findByNameKey(tenantId, nameKey(trimmed));
    if (other && other._id !== excludeId) return { available: false, reason: `An enrichment named "${other.name}" already exists.` };
    return { available: true, reason: null };
  }

  /**
   * Everything a save checks, in the order the wizard asks for it. Selections are resolved
   * again here: the count the browser saw is never trusted. A half-life left out keeps the one
   * saved (`existing`), or is the default for a new enrichment.
   */
  private async content(p: Principal, input: EnrichmentInput, existing?: EnrichmentDocument): Promise<EnrichmentContent> {
    const excludeId = existing?._id;
    const name = input.name.trim();
    const key = nameKey(name);
    const clash = await this.store.findByNameKey(p.tenantId, key);
    if (clash && clash._id !== excludeId) throw new AppError('conflict', `An enrichment named "${clash.name}" already exists; choose another name.`);

    const dataset = await this.datasets.store.get(p.tenantId, input.datasetId);
    if (!dataset) throw new AppError('validation', `The customer dataset ${input.datasetId} does not exist; choose one of your datasets.`, { fields: [{ path: 'body.datasetId', message: 'unknown dataset' }] });
    this.datasets.assertContactFields(dataset, { emailField: input.mapping.emailField, accountIdField: input.mapping.accountIdField });
    if (input.mapping.ownerField) this.datasets.assertAccountAttribute(dataset, input.mapping.ownerField, 'mapping.ownerField');

    const exclusions = normaliseExclusions(input.exclusions);
    if (exclusions.problems.length) {
      throw new AppError('validation', `Some exclusions are not valid: ${exclusions.problems.map((x) => x.message).join('; ')}.`, { fields: exclusions.problems });
    }

    const resolution = await this.directory.resolve(p, input.mailboxes.selections);
    const countProblem = mailboxCountProblem(resolution.count, resolution.message?.includes('more than') ?? false);
    if (countProblem) throw new AppError('validation', countProblem, { fields: [{ path: 'body.mailboxes.selections', message: countProblem }] });

    return {
      name,
      nameKey: key,
      entityName: input.entityName ?? DEFAULT_ENTITY_NAME,
      mailboxes: { selections: input.mailboxes.selections, resolved: resolution.mailboxes, unresolved: resolution.unresolved, count: resolution.count },
      datasetId: dataset._id,
      // An owner column left out keeps the one saved, like the half-life.
      mapping: { emailField: input.mapping.emailField, accountIdField: input.mapping.accountIdField, ownerField: input.mapping.ownerField !== undefined ? input.mapping.ownerField : (existing?.mapping.ownerField ?? null) },
      exclusions: exclusions.value,
      matchAccountDomains: input.matchAccountDomains ?? false,
      halfLifeDays: input.halfLifeDays ?? (existing ? halfLifeOf(existing) : HALF_LIFE_DAYS.default),
      privacyThreshold: input.privacyThreshold !== undefined ? input.privacyThreshold : existing ? privacyThresholdOf(existing) : null,
      consentAgreement: { agreedBy: p.userId, agreedAt: this.now() },
    };
  }

  async create(p: Principal, input: EnrichmentInput): Promise<{ enrichment: Awaited<ReturnType<EnrichmentsService['view']>>; consentRequest: ConsentRequestResult }> {
    await this.directory.assertCanCreate(p);
    const content = await this.content(p, input);
    const now = this.now();
    const doc: EnrichmentDocument = {
      _id: `enr_${randomUUID().replace(/-/g, '')}`,
      tenantId: p.tenantId,
      ...content,
      consent: initialConsent(),
      paused: false,
      version: 1,
      createdBy: p.userId,
      updatedBy: p.userId,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.store.insert(doc);
    } catch (e) {
      if (isDuplicateKeyError(e)) throw new AppError('conflict', `An enrichment named "${content.name}" already exists; choose another name.`);
      throw e;
    }
    const consentRequest = await this.consent.sendRequest(p, doc, input.consentRecipients ?? []);
    return { enrichment: await this.get(p.tenantId, doc._id), consentRequest };
  }

  async update(p: Principal, id: string, input: EnrichmentInput, expectedVersion: number) {
    const existing = await this.require(p.tenantId, id);
    await this.directory.assertCanCreate(p);
    const content = await this.content(p, input, existing);
    let outcome: WriteOutcome;
    try {
      outcome = await this.store.update(p.tenantId, id, expectedVersion, { ...content, updatedBy: p.userId, updatedAt: this.now() });
    } catch (e) {
      if (isDuplicateKeyError(e)) throw new AppError('conflict', `An enrichment named "${content.name}" already exists; choose another name.`);
      throw e;
    }
    return this.view(this.unwrap(outcome, id, expectedVersion));
  }

  async setPaused(p: Principal, id: string, paused: boolean, expectedVersion?: number) {
    const current = await this.require(p.tenantId, id);
    const outcome = await this.store.update(p.tenantId, id, expectedVersion ?? current.version, { paused, updatedBy: p.userId, updatedAt: this.now() });
    return this.view(this.unwrap(outcome, id, expectedVersion ?? current.version));
  }

  /**
   * Adds addresses or domains to the exclusions (the one-click exclusion of an unmatched domain),
   * validated like a full save and written only over the version read: a concurrent change is a
   * 409, never overwritten. The next run is a full run (the configuration changed).
   */
  async addExclusions(p: Principal, id: string, added: { addresses?: string[]; domains?: string[] }, expectedVersion?: number) {
    const current = await this.require(p.tenantId, id);
    const checked = normaliseExclusions(added);
    if (checked.problems.length) {
      const fields = checked.problems.map((x) => ({ ...x, path: x.path.replace('body.exclusions.', 'body.') }));
      throw new AppError('validation', `Some exclusions are not valid: ${checked.problems.map((x) => x.message).join('; ')}.`, { fields });
    }
    if (checked.value.addresses.length + checked.value.domains.length === 0) throw new AppError('validation', 'Name at least one address or domain to exclude.');
    const exclusions = normaliseExclusions({ addresses: [...current.exclusions.addresses, ...checked.value.addresses], domains: [...current.exclusions.domains, ...checked.value.domains] });
    if (exclusions.value.addresses.length > MAX_EXCLUSIONS || exclusions.value.domains.length > MAX_EXCLUSIONS) {
      throw new AppError('validation', `An enrichment can exclude at most ${MAX_EXCLUSIONS} addresses and ${MAX_EXCLUSIONS} domains.`);
    }
    const outcome = await this.store.update(p.tenantId, id, expectedVersion ?? current.version, { exclusions: exclusions.value, updatedBy: p.userId, updatedAt: this.now() });
    return this.view(this.unwrap(outcome, id, expectedVersion ?? current.version));
  }

  /** The score's half-life alone (the enrichment page's setting); the next run is then a full run. */
  async setHalfLife(p: Principal, id: string, halfLifeDays: number, expectedVersion?: number) {
    const current = await this.require(p.tenantId, id);
    const outcome = await this.store.update(p.tenantId, id, expectedVersion ?? current.version, { halfLifeDays, updatedBy: p.userId, updatedAt: this.now() });
    return this.view(this.unwrap(outcome, id, expectedVersion ?? current.version));
  }

  /** The privacy threshold k alone (the enrichment page's setting); the next run publishes with it. */
  async setPrivacyThreshold(p: Principal, id: string, privacyThreshold: number | null, expectedVersion?: number) {
    const current = await this.require(p.tenantId, id);
    const outcome = await this.store.update(p.tenantId, id, expectedVersion ?? current.version, { privacyThreshold, updatedBy: p.userId, updatedAt: this.now() });
    return this.view(this.unwrap(outcome, id, expectedVersion ?? current.version));
  }

  async delete(p: Principal, id: string, expectedVersion?: number): Promise<void> {
    const outcome = await this.store.delete(p.tenantId, id, expectedVersion);
    if (!outcome.ok) this.unwrap(outcome, id, expectedVersion ?? 0);
    for (const listener of this.deletedListeners) listener(p.tenantId, id);
  }

  private readonly deletedListeners: Array<(tenantId: string, id: string) => void> = [];

  /** Told after an enrichment is deleted (readers that keep it in memory forget it). */
  onDeleted(listener: (tenantId: string, id: string) => void): void {
    this.deletedListeners.push(listener);
  }

  private unwrap(outcome: WriteOutcome, id: string, expected: number): EnrichmentDocument {
    if (outcome.ok) return outcome.doc;
    if (outcome.reason === 'not-found') throw new AppError('not-found', `There is no enrichment ${id} in your organisation.`);
    throw new AppError(
      'conflict',
      `The enrichment was changed by someone else since you opened it (you edited version ${expected}, it is now version ${outcome.currentVersion}); reload it and make your change again.`,
    );
  }
}

/** The version a write is based on: `If-Match: "3"` (or W/"3") or the body's `version`. */
export function expectedVersionOf(req: Request, bodyVersion: number | undefined): number | undefined {
  const header = req.headers['if-match'];
  if (typeof header === 'string' && header.trim()) {
    const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
    if (!m) throw new AppError('validation', 'If-Match must carry the enrichment version, e.g. If-Match: "3".');
    const v = Number(m[1]);
    if (bodyVersion !== undefined && bodyVersion !== v) throw new AppError('validation', `If-Match ("${v}") and the body's version (${bodyVersion}) disagree; send one.`);
    return v;
  }
  return bodyVersion;
}

/** The version a full edit is based on; refused without one, so a concurrent change is never overwritten. */
export function requiredVersionOf(req: Request, bodyVersion: number | undefined): number {
  const version = expectedVersionOf(req, bodyVersion);
  if (version === undefined) throw new AppError('validation', 'Send the version you edited, as If-Match: "<version>" or as version in the body, so a concurrent change is not overwritten.');
  return version;
}
