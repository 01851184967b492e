import type { Readable } from 'node:stream';
import { AppError } from '../platform/errors/app-error';
import type { Principal } from '../platform/auth/principal';
import {
  checkAccountRow,
  checkContactRow,
  type AccountsMapping,
  type ContactsMapping,
  type Rejection,
} from './dataset-rows';
import { DatasetsStore, type ContactMapping, type DatasetDocument, type ImportDocument, type StageDocument } from './datasets.store';
import { readRecords, uploadFormatOf } from './record-stream';

type RowWriter = ReturnType<DatasetsStore['rowWriter']>;

export const IMPORT_TTL_MS = 24 * 3_600_000;
const REPORTED_REJECTIONS = 50;
export const DATASET_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._()&'-]{0,79}$/u;

export interface DatasetSummary {
  id: string;
  name: string;
  version: number;
  accountCount: number;
  contactCount: number;
  accountAttributes: string[];
  contactFields: string[];
  emailField: string;
  accountIdField: string;
  usedBy: Array<{ id: string; name: string }>;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

export interface StageReport {
  mapping: Record<string, string>;
  columns: string[];
  received: number;
  valid: number;
  rejected: number;
  rejections: Rejection[];
}

export interface ImportSessionView {
  id: string;
  name: string;
  datasetId: string | null;
  status: 'open' | 'committed' | 'discarded';
  accounts: StageReport | null;
  contacts: StageReport | null;
  createdAt: string;
  expiresAt: string;
}

/** Who uses a dataset: the enrichments feature answers, so datasets do not depend on it. */
export type DatasetUsage = (tenantId: string, datasetId: string) => Promise<Array<{ id: string; name: string }>>;

export class DatasetsService {
  constructor(
    readonly store: DatasetsStore,
    private readonly usage: DatasetUsage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(tenantId: string): Promise<DatasetSummary[]> {
    const docs = await this.store.list(tenantId);
    return Promise.all(docs.map((d) => this.summary(d)));
  }

  async get(tenantId: string, datasetId: string): Promise<DatasetSummary> {
    return this.summary(await this.require(tenantId, datasetId));
  }

  async require(tenantId: string, datasetId: string): Promise<DatasetDocument> {
    const d = await this.store.get(tenantId, datasetId);
    if (!d) throw new AppError('not-found', `There is no customer dataset ${datasetId} in your organisation.`);
    return d;
  }

  private async summary(d: DatasetDocument): Promise<DatasetSummary> {
    return {
      id: d._id,
      name: d.name,
      version: d.version,
      accountCount: d.accountCount,
      contactCount: d.contactCount,
      accountAttributes: d.accountAttributes,
      contactFields: d.contactFields,
      emailField: d.emailField,
      accountIdField: d.accountIdField,
      usedBy: await this.usage(d.tenantId, d._id),
      createdAt: d.createdAt.toISOString(),
      updatedAt: d.updatedAt.toISOString(),
      createdBy: d.createdBy,
      updatedBy: d.updatedBy,
    };
  }

  async delete(tenantId: string, datasetId: string): Promise<void> {
    const d = await this.require(tenantId, datasetId);
    const users = await this.usage(tenantId, datasetId);
    if (users.length) {
      const names = users.map((u) => `"${u.name}"`).join(', ');
      throw new AppError('conflict', `The dataset "${d.name}" is used by the enrichment${users.length > 1 ? 's' : ''} ${names}; change or delete ${users.length > 1 ? 'them' : 'it'} first.`);
    }
    if (!(await this.store.deleteDataset(tenantId, d))) throw new AppError('not-found', `The dataset ${datasetId} was already deleted.`);
  }

  async mappingPreview(tenantId: string, datasetId: string, fields: Partial<ContactMapping>, limit: number) {
    const d = await this.require(tenantId, datasetId);
    const mapping = { emailField: fields.emailField ?? d.emailField, accountIdField: fields.accountIdField ?? d.accountIdField };
    this.assertContactFields(d, mapping);
    const [stats, sample] = await Promise.all([this.store.mappingStats(tenantId, d, mapping), this.store.sampleContacts(tenantId, d, limit)]);
    return {
      ...mapping,
      ...stats,
      samples: sample.map((c) => ({ email: c.fields[mapping.emailField] ?? '', accountId: c.fields[mapping.accountIdField] ?? '' })),
    };
  }

  /** A mapping must name contact fields the dataset has; the detail lists them. */
  assertContactFields(d: DatasetDocument, mapping: ContactMapping): void {
    for (const [key, field] of Object.entries(mapping)) {
      if (!d.contactFields.includes(field)) {
        throw new AppError('validation', `The dataset "${d.name}" has no contact field "${field}" (for ${key}); its fields are ${d.contactFields.join(', ')}.`, {
          fields: [{ path: `mapping.${key}`, message: `unknown field ${field}` }],
        });
      }
    }
  }

  /** An account column a mapping names (the owner column) must be one of the dataset's account attributes. */
  assertAccountAttribute(d: DatasetDocument, field: string, path: string): void {
    if (d.accountAttributes.includes(field)) return;
    const known = d.accountAttributes.length ? `its account columns are ${d.accountAttributes.join(', ')}` : 'it has no account columns besides the id and name';
    throw new AppError('validation', `The dataset "${d.name}" has no account column "${field}"; ${known}.`, { fields: [{ path, message: `unknown account column ${field}` }] });
  }

  // ---- imports --------------------------------------------------------------------------

  async createImport(p: Principal, input: { name: string; datasetId?: string }): Promise<ImportSessionView> {
    const now = this.now();
    const name = input.name.trim();
    let datasetId: string | null = null;
    if (input.datasetId) {
      const d = await this.require(p.tenantId, input.datasetId);
      datasetId = d._id;
      if (d.name.toLowerCase() !== name.toLowerCase()) {
        throw new AppError('validation', `A re-import keeps the dataset's name "${d.name}"; send that name or import a new dataset without datasetId.`);
      }
    } else if (await this.store.findByNameKey(p.tenantId, name.toLowerCase())) {
      throw new AppError('conflict', `A dataset named "${name}" already exists; choose another name or re-import it (send its datasetId).`);
    }
    const doc: ImportDocument = {
      _id: DatasetsStore.newId('imp'),
      tenantId: p.tenantId,
      name: datasetId ? (await this.require(p.tenantId, datasetId)).name : name,
      nameKey: name.toLowerCase(),
      datasetId,
      status: 'open',
      accounts: null,
      contacts: null,
      createdBy: p.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + IMPORT_TTL_MS),
    };
    // Housekeeping only once the request is accepted: a refused request changes nothing.
    await this.store.purgeExpiredImports(p.tenantId, now);
    await this.store.insertImport(doc);
    return this.view(doc);
  }

  async getImport(tenantId: string, importId: string): Promise<ImportSessionView> {
    return this.view(await this.requireImport(tenantId, importId));
  }

  private async requireImport(tenantId: string, importId: string, mustBeOpen = false): Promise<ImportDocument> {
    const s = await this.store.getImport(tenantId, importId);
    if (!s) throw new AppError('not-found', `There is no import ${importId}; it may have expired (imports are kept for 24 hours). Start a new one.`);
    if (mustBeOpen && s.status !== 'open') throw new AppError('conflict', `The import ${importId} is ${s.status}; start a new import.`);
    if (mustBeOpen && s.expiresAt < this.now()) throw new AppError('conflict', `The import ${importId} has expired; start a new one.`);
    return s;
  }

  private async view(s: ImportDocument): Promise<ImportSessionView> {
    const stage = async (st: StageDocument | null): Promise<StageReport | null> =>
      st && {
        mapping: st.mapping,
        columns: st.columns,
        received: st.received,
        valid: st.valid,
        rejected: st.rejected,
        rejections: st.rejected ? (await this.store.listRejections(s.tenantId, [st.versionId], 0, REPORTED_REJECTIONS)).items : [],
      };
    return {
      id: s._id,
      name: s.name,
      datasetId: s.datasetId,
      status: s.status === 'committing' ? 'open' : s.status,
      accounts: await stage(s.accounts),
      contacts: await stage(s.contacts),
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
    };
  }

  /**
   * Streams an accounts upload into a fresh version id. If the body cannot be read the rows
   * written so far are removed and the session keeps its previous stage.
   */
  async uploadAccounts(tenantId: string, importId: string, body: Readable, contentType: string | undefined, mapping: AccountsMapping): Promise<ImportSessionView> {
    const session = await this.requireImport(tenantId, importId, true);
    const seen = new Set<string>();
    await this.streamStage(tenantId, 'accounts', body, contentType, mapping, 'acc', (record, row) => checkAccountRow(record, row, mapping, seen), (writer, value) => writer.account(value), async (stage) => {
      if (!(await this.store.setStage(tenantId, importId, 'accounts', stage, true))) {
        throw new AppError('conflict', `The import ${importId} was committed or discarded meanwhile; start a new import.`);
      }
    });
    // The previous accounts and contacts uploads of this session are superseded.
    await this.discardVersion(tenantId, session.accounts?.versionId, session.contacts?.versionId);
    return this.getImport(tenantId, importId);
  }

  async uploadContacts(tenantId: string, importId: string, body: Readable, contentType: string | undefined, mapping: ContactsMapping): Promise<ImportSessionView> {
    const session = await this.requireImport(tenantId, importId, true);
    const accountsVersion = session.accounts?.versionId;
    if (!accountsVersion) throw new AppError('conflict', 'Upload the accounts before the contacts: contacts are checked against the accounts.');
    const accounts = await this.store.accountIds(tenantId, accountsVersion);
    const seen = new Set<string>();
    await this.streamStage(tenantId, 'contacts', body, contentType, mapping, 'con', (record, row) => checkContactRow(record, row, mapping, accounts, seen), (writer, value) => writer.contact(value), async (stage) => {
      // Only if the accounts this was checked against are still the session's accounts.
      const current = await this.store.getImport(tenantId, importId);
      if (current?.accounts?.versionId !== accountsVersion || !(await this.store.setStage(tenantId, importId, 'contacts', stage, false))) {
        throw new AppError('conflict', `The import ${importId} changed while the contacts were uploading; upload them again.`);
      }
    });
    await this.discardVersion(tenantId, session.contacts?.versionId);
    return this.getImport(tenantId, importId);
  }

  /**
   * The loop both uploads share: read records, check each row, write the valid ones and the
   * rejections under a fresh version id, then record the stage. Anything that fails removes
   * what this upload wrote, so the session keeps its previous stage.
   */
  private async streamStage<M extends AccountsMapping | ContactsMapping, V>(
    tenantId: string,
    stageName: 'accounts' | 'contacts',
    body: Readable,
    contentType: string | undefined,
    mapping: M,
    idPrefix: string,
    check: (record: Record<string, string>, row: number) => { ok: true; value: V } | { ok: false; rejection: Parameters<RowWriter['rejection']>[0] },
    write: (writer: RowWriter, value: V) => Promise<void>,
    record: (stage: StageDocument) => Promise<void>,
  ): Promise<void> {
    const format = uploadFormatOf(contentType);
    const versionId = DatasetsStore.newId(idPrefix);
    const columns = new Set<string>();
    const writer = this.store.rowWriter(tenantId, versionId);
    let received = 0;
    let valid = 0;
    let rejected = 0;
    try {
      for await (const parsed of readRecords(body, format, columns)) {
        if (received === 0 && parsed.record) assertColumns(columns, mappedColumns(mapping), stageName);
        received++;
        if (!parsed.record) {
          rejected++;
          await writer.rejection({ stage: stageName, row: parsed.row, column: '', reason: 'row-malformed', message: parsed.problem ?? 'The row cannot be read.', value: '' });
          continue;
        }
        const checked = check(parsed.record, parsed.row);
        if (checked.ok) {
          valid++;
          await write(writer, checked.value);
        } else {
          rejected++;
          await writer.rejection(checked.rejection);
        }
      }
      await writer.end();
      if (received === 0) throw new AppError('validation', `The ${stageName} file has no data rows.`);
      assertColumns(columns, mappedColumns(mapping), stageName);
      await record({ versionId, mapping: { ...mapping }, columns: [...columns], received, valid, rejected });
    } catch (e) {
      await this.discardVersion(tenantId, versionId);
      throw e;
    }
  }

  private async discardVersion(tenantId: string, ...versionIds: Array<string | undefined>): Promise<void> {
    const ids = versionIds.filter((v): v is string => Boolean(v));
    await this.store.deleteRows(tenantId, ids);
    await this.store.deleteRejections(tenantId, ids);
  }

  /** The commit: checks the mode's rule, then flips the dataset's pointers in one update. */
  async commit(p: Principal, importId: string, mode: 'all-or-nothing' | 'valid-only'): Promise<DatasetSummary> {
    const tenantId = p.tenantId;
    const s = await this.requireImport(tenantId, importId, true);
    if (!s.accounts || !s.contacts) {
      throw new AppError('validation', `Upload both files before committing: ${!s.accounts ? 'accounts' : 'contacts'} ${!s.accounts && !s.contacts ? 'and contacts are' : 'is'} missing.`);
    }
    const rejected = s.accounts.rejected + s.contacts.rejected;
    if (mode === 'all-or-nothing' && rejected > 0) {
      throw new AppError(
        'validation',
        `${rejected} row${rejected > 1 ? 's were' : ' was'} rejected (${s.accounts.rejected} account${s.accounts.rejected === 1 ? '' : 's'}, ${s.contacts.rejected} contact${s.contacts.rejected === 1 ? '' : 's'}); nothing was imported. Fix the rows (download the rejected rows) or commit with mode valid-only.`,
      );
    }
    if (s.accounts.valid === 0 || s.contacts.valid === 0) {
      throw new AppError('validation', `Nothing to import: ${s.accounts.valid} valid accounts and ${s.contacts.valid} valid contacts. A dataset needs at least one of each.`);
    }
    if (!(await this.store.transitionImport(tenantId, importId, 'open', 'committing'))) {
      throw new AppError('conflict', `The import ${importId} is being committed or was discarded; reload it.`);
    }
    const now = this.now();
    const accountsMapping = s.accounts.mapping as unknown as AccountsMapping;
    const contactsMapping = s.contacts.mapping as unknown as ContactsMapping;
    const mappedAccountColumns = new Set(mappedColumns(accountsMapping));
    const next = {
      accountsVersionId: s.accounts.versionId,
      contactsVersionId: s.contacts.versionId,
      accountCount: s.accounts.valid,
      contactCount: s.contacts.valid,
      accountAttributes: s.accounts.columns.filter((c) => !mappedAccountColumns.has(c)),
      contactFields: s.contacts.columns,
      emailField: contactsMapping.emailColumn,
      accountIdField: contactsMapping.accountIdColumn,
      updatedAt: now,
      updatedBy: p.userId,
    };
    let datasetId = s.datasetId;
    let superseded: string[] = [];
    try {
      if (datasetId) {
        const current = await this.store.get(tenantId, datasetId);
        if (!current) throw new AppError('conflict', 'The dataset was deleted while this import was open; import it as a new dataset.');
        if (!(await this.store.flipVersion(tenantId, current, next))) {
          throw new AppError('conflict', 'The dataset was re-imported by someone else meanwhile; start a new import.');
        }
        superseded = [current.accountsVersionId, current.contactsVersionId];
      } else {
        datasetId = DatasetsStore.newId('ds');
        try {
          await this.store.insertDataset({ _id: datasetId, tenantId, name: s.name, nameKey: s.nameKey, version: 1, createdAt: now, createdBy: p.userId, ...next });
        } catch (e) {
          if ((e as { code?: number }).code === 11000) throw new AppError('conflict', `A dataset named "${s.name}" was created meanwhile; start a new import with another name.`);
          throw e;
        }
      }
    } catch (e) {
      await this.store.transitionImport(tenantId, importId, 'committing', 'open');
      throw e;
    }
    await this.store.transitionImport(tenantId, importId, 'committing', 'committed');
    await this.store.deleteRows(tenantId, superseded);
    return this.get(tenantId, datasetId);
  }

  async discard(tenantId: string, importId: string): Promise<void> {
    const s = await this.requireImport(tenantId, importId);
    if (s.status === 'committed') {
      await this.store.deleteRejections(tenantId, [s.accounts?.versionId ?? '', s.contacts?.versionId ?? '']);
    } else if (!(await this.store.transitionImport(tenantId, importId, 'open', 'discarded'))) {
      throw new AppError('conflict', `The import ${importId} is being committed; it cannot be discarded now.`);
    } else {
      await this.discardVersion(tenantId, s.accounts?.versionId, s.contacts?.versionId);
    }
    await this.store.imports.deleteOne({ tenantId, _id: importId });
  }

  async rejections(tenantId: string, importId: string, offset: number, limit: number) {
    const s = await this.requireImport(tenantId, importId);
    return this.store.listRejections(tenantId, stageVersions(s), offset, limit);
  }

  async rejectionStream(tenantId: string, importId: string): Promise<AsyncIterable<Rejection>> {
    const s = await this.requireImport(tenantId, importId);
    return this.store.streamRejections(tenantId, stageVersions(s));
  }

  /** Reads the first rows of an upload for the tab's preview; the rest is not read. */
  async preview(body: Readable, contentType: string | undefined, limit: number) {
    const format = uploadFormatOf(contentType);
    const columns = new Set<string>();
    const rows: Array<Record<string, string>> = [];
    for await (const parsed of readRecords(body, format, columns)) {
      if (parsed.record) rows.push(parsed.record);
      if (rows.length >= limit) break;
    }
    body.resume();
    return { columns: [...columns], rows };
  }
}

function stageVersions(s: ImportDocument): string[] {
  return [s.accounts?.versionId, s.contacts?.versionId].filter((v): v is string => Boolean(v));
}

function mappedColumns(m: AccountsMapping | ContactsMapping): string[] {
  return Object.values(m).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

function assertColumns(found: Set<string>, wanted: string[], what: string): void {
  const missing = wanted.filter((c) => !found.has(c));
  if (missing.length) {
    const listed = [...found].slice(0, 20).map((c) => `"${c}"`);
    const more = found.size > listed.length ? ` and ${found.size - listed.length} more` : '';
    throw new AppError('validation', `The ${what} file has no column ${missing.map((m) => `"${m}"`).join(', ')}; its columns are ${listed.join(', ') || 'none'}${more}. Adjust the column mapping.`);
  }
}
