import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { Principal } from '../platform/auth/principal';
import { AppError } from '../platform/errors/app-error';
import { SCORE_CHANGE } from '../results/results-columns';
import { checkGroup, groupSql, groupUses } from '../results/row-filter';
import type { CsvQuery, PageQuery } from '../results/results.schema';
import type { ResultsService, SegmentView } from '../results/results.service';
import { scalar, scopeSql, SqlParams, whereOf } from '../results/snapshot-sql';
import type { SegmentDefinition, SegmentInput } from './segments.schema';
import type { SegmentDocument, SegmentsStore } from './segments.store';

export const STALE_ACCOUNTS_NAME = 'Stale accounts';

export const exampleIdOf = (enrichmentId: string) => `builtin-stale-${enrichmentId}`;

/**
 * The shipped example: no email and no meeting for over 60 days (never counts as stale). It is
 * shown for every enrichment, dated at the enrichment's creation, and stored only when an admin
 * changes it (deleting it records that it is gone), so listing segments never writes.
 */
export function staleAccountsExample(tenantId: string, enrichmentId: string, at: Date): SegmentDocument {
  return {
    _id: exampleIdOf(enrichmentId),
    tenantId,
    enrichmentId,
    name: STALE_ACCOUNTS_NAME,
    nameKey: STALE_ACCOUNTS_NAME.toLowerCase(),
    description: 'No email and no meeting with the account for more than 60 days (accounts never emailed or met included).',
    definition: {
      level: 'Year',
      root: {
        type: 'group',
        combinator: 'and',
        children: [
          { type: 'condition', column: 'DaysSinceLastEmail', operator: '>', value: 60 },
          { type: 'condition', column: 'DaysSinceLastMeeting', operator: '>', value: 60 },
        ],
      },
    },
    builtIn: true,
    createdAt: at,
    updatedAt: at,
    createdBy: 'system',
    updatedBy: 'system',
  };
}

export class SegmentsService {
  constructor(
    private readonly store: SegmentsStore,
    private readonly results: ResultsService,
  ) {
    results.useSegmentLookup(async (tenantId, enrichmentId, segmentId) => this.view(await this.require(tenantId, enrichmentId, segmentId)));
  }

  /** Checks what the schema cannot (value types, depth, size) before anything is stored or run. */
  private checkDefinition(d: SegmentDefinition, path: string): void {
    checkGroup(d.root, `${path}.root`);
  }

  private view(doc: Pick<SegmentDocument, 'definition'>): SegmentView {
    return { level: doc.definition.level, period: doc.definition.period, root: doc.definition.root };
  }

  private async require(tenantId: string, enrichmentId: string, id: string): Promise<SegmentDocument> {
    const doc = (await this.store.get(tenantId, enrichmentId, id)) ?? (id === exampleIdOf(enrichmentId) ? await this.unsettledExample(tenantId, enrichmentId) : null);
    if (!doc) throw new AppError('not-found', 'This segment does not exist (or was deleted); reload the segment list.');
    return doc;
  }

  /** The built-in example while it is shown but not stored (not changed, not deleted, its name not taken). */
  private async unsettledExample(tenantId: string, enrichmentId: string, stored?: SegmentDocument[]): Promise<SegmentDocument | null> {
    const e = await this.results.enrichments.get(tenantId, enrichmentId);
    if (!e || (await this.store.exampleSettled(tenantId, enrichmentId))) return null;
    const example = staleAccountsExample(tenantId, enrichmentId, e.createdAt);
    const docs = stored ?? (await this.store.list(tenantId, enrichmentId));
    return docs.some((d) => d._id === example._id || d.nameKey === example.nameKey) ? null : example;
  }

  /** Count of a definition's members (counted by DuckDB on every call) and of all rows of its level/period (fixed per run). */
  async count(tenantId: string, enrichmentId: string, d: SegmentDefinition, validated = false): Promise<{ runId: string | null; count: number; total: number }> {
    if (!validated) this.checkDefinition(d, 'body');
    const view = await this.results.requireEnrichment(tenantId, enrichmentId);
    const out = await this.results.withCurrent(view, async (s, pointer) => {
      const period = d.period ?? (await this.results.latestPeriod(s, d.level));
      const p = new SqlParams();
      const scope = await scopeSql(s, d.level, period, p, await this.results.changeTableIf(groupUses(d.root, SCORE_CHANGE), view, s));
      const pool = await this.results.runtime.pool();
      const [count, total] = await Promise.all([
        pool.query(`SELECT count(*) FROM ${scope.from} WHERE ${whereOf([...scope.where, groupSql(d.root, p)])}`, p.list).then(scalar),
        this.results.scopeTotal(s, d.level, period),
      ]);
      return { runId: pointer.runId, count: count ?? 0, total };
    });
    return out ?? { runId: null, count: 0, total: 0 };
  }

  private async present(doc: SegmentDocument) {
    const c = await this.count(doc.tenantId, doc.enrichmentId, doc.definition, true);
    return {
      id: doc._id,
      enrichmentId: doc.enrichmentId,
      name: doc.name,
      description: doc.description,
      definition: doc.definition,
      builtIn: doc.builtIn,
      count: c.count,
      total: c.total,
      runId: c.runId,
      createdAt: doc.createdAt.toISOString(),
      updatedAt: doc.updatedAt.toISOString(),
      createdBy: doc.createdBy,
      updatedBy: doc.updatedBy,
    };
  }

  async list(tenantId: string, enrichmentId: string) {
    await this.results.requireEnrichment(tenantId, enrichmentId);
    const stored = await this.store.list(tenantId, enrichmentId);
    const example = await this.unsettledExample(tenantId, enrichmentId, stored);
    const docs = example ? [...stored, example].sort((a, b) => a.nameKey.localeCompare(b.nameKey)) : stored;
    return { items: await Promise.all(docs.map((d) => this.present(d))) };
  }

  /** Every enrichment's segments (or one's), for the tenant-wide Segments page. */
  async listAll(tenantId: string, enrichmentId?: string) {
    if (enrichmentId) return this.list(tenantId, enrichmentId);
    const [stored, enrichments, settled] = await Promise.all([this.store.list(tenantId), this.results.enrichments.names(tenantId), this.store.settledExamples(tenantId)]);
    const taken = new Set(stored.map((d) => `${d.enrichmentId}\u0000${d.nameKey}`).concat(stored.map((d) => d._id)));
    const examples = enrichments
      .filter((e) => !settled.has(e.id))
      .map((e) => staleAccountsExample(tenantId, e.id, e.createdAt))
      .filter((x) => !taken.has(x._id) && !taken.has(`${x.enrichmentId}\u0000${x.nameKey}`));
    const docs = [...stored, ...examples].sort((a, b) => a.enrichmentId.localeCompare(b.enrichmentId) || a.nameKey.localeCompare(b.nameKey));
    return { items: await Promise.all(docs.map((d) => this.present(d))) };
  }

  async get(tenantId: string, enrichmentId: string, id: string) {
    await this.results.requireEnrichment(tenantId, enrichmentId);
    return this.present(await this.require(tenantId, enrichmentId, id));
  }

  async create(p: Principal, enrichmentId: string, input: SegmentInput) {
    this.checkDefinition(input.definition, 'body.definition');
    await this.results.requireEnrichmentNow(p.tenantId, enrichmentId);
    await this.refuseExampleName(p.tenantId, enrichmentId, input.name, null);
    const now = new Date();
    const doc: SegmentDocument = {
      _id: `seg_${randomUUID().replace(/-/g, '')}`,
      tenantId: p.tenantId,
      enrichmentId,
      name: input.name,
      nameKey: input.name.toLowerCase(),
      description: input.description,
      definition: input.definition,
      builtIn: false,
      createdAt: now,
      updatedAt: now,
      createdBy: p.userId,
      updatedBy: p.userId,
    };
    if (!(await this.store.insert(doc))) throw nameTaken(input.name);
    return this.present(doc);
  }

  /** The shown (unstored) example holds its name like a stored segment would. */
  private async refuseExampleName(tenantId: string, enrichmentId: string, name: string, exceptId: string | null): Promise<void> {
    if (name.toLowerCase() !== STALE_ACCOUNTS_NAME.toLowerCase() || exceptId === exampleIdOf(enrichmentId)) return;
    if (await this.unsettledExample(tenantId, enrichmentId)) throw nameTaken(name);
  }

  async update(p: Principal, enrichmentId: string, id: string, input: SegmentInput) {
    this.checkDefinition(input.definition, 'body.definition');
    await this.results.requireEnrichmentNow(p.tenantId, enrichmentId);
    await this.refuseExampleName(p.tenantId, enrichmentId, input.name, id);
    const change = {
      name: input.name,
      nameKey: input.name.toLowerCase(),
      description: input.description,
      definition: input.definition,
      updatedAt: new Date(),
      updatedBy: p.userId,
    };
    const example = id === exampleIdOf(enrichmentId) ? await this.unsettledExample(p.tenantId, enrichmentId) : null;
    if (example) {
      // The first change of the shown example stores it, changed (one insert: a name clash stores nothing).
      if (!(await this.store.insert({ ...example, ...change }))) throw nameTaken(input.name);
      await this.store.settleExample(p.tenantId, enrichmentId);
      return this.get(p.tenantId, enrichmentId, id);
    }
    const outcome = await this.store.update(p.tenantId, enrichmentId, id, change);
    if (outcome === 'name-taken') throw nameTaken(input.name);
    if (outcome === 'not-found') throw new AppError('not-found', 'This segment does not exist (or was deleted); reload the segment list.');
    return this.get(p.tenantId, enrichmentId, id);
  }

  async delete(tenantId: string, enrichmentId: string, id: string): Promise<void> {
    await this.results.requireEnrichmentNow(tenantId, enrichmentId);
    if (id === exampleIdOf(enrichmentId)) {
      const shown = (await this.store.get(tenantId, enrichmentId, id)) ?? (await this.unsettledExample(tenantId, enrichmentId));
      if (!shown) throw new AppError('not-found', 'This segment does not exist (or was deleted); reload the segment list.');
      // Gone for good: the example is not shown again.
      await this.store.delete(tenantId, enrichmentId, id);
      await this.store.settleExample(tenantId, enrichmentId);
      return;
    }
    if (!(await this.store.delete(tenantId, enrichmentId, id))) throw new AppError('not-found', 'This segment does not exist (or was deleted); reload the segment list.');
  }

  /** A segment's definition as the grid applies it, and the run its members are read from now. */
  async membersSource(tenantId: string, enrichmentId: string, id: string): Promise<{ view: SegmentView; current: string | null }> {
    const [doc, e] = await Promise.all([this.require(tenantId, enrichmentId, id), this.results.requireEnrichment(tenantId, enrichmentId)]);
    return { view: this.view(doc), current: e.pointer?.runId ?? null };
  }

  /** A page of the members of a definition (`membersSource`), of a cursor's run or the current one. */
  members(tenantId: string, enrichmentId: string, view: SegmentView, q: PageQuery, runId?: string) {
    return this.results.page(tenantId, enrichmentId, { ...q, segmentId: undefined, filter: undefined }, view, runId);
  }

  async exportMembers(tenantId: string, enrichmentId: string, id: string, q: CsvQuery, acceptLanguage: string | undefined, res: Response, etagOf?: (runId: string) => string) {
    const doc = await this.require(tenantId, enrichmentId, id);
    await this.results.exportCsv(tenantId, enrichmentId, { ...q, segmentId: undefined, filter: undefined }, acceptLanguage, res, { segment: this.view(doc), subject: doc.name }, etagOf);
  }
}

function nameTaken(name: string): AppError {
  return new AppError('conflict', `A segment named "${name}" already exists for this enrichment; choose another name.`);
}
