import { z } from 'zod';
import { DATASET_NAME } from './datasets.service';

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-f]{32}$`), `must be a ${prefix}_… id`);
export const datasetIdParam = z.object({ datasetId: id('ds') });
export const importIdParam = z.object({ importId: id('imp') });

const column = z.string().trim().min(1, 'must name a column').max(200);

export const accountsUploadQuery = z.object({
  accountIdColumn: column.default('AccountId'),
  nameColumn: column.optional(),
  domainsColumn: column.optional(),
});
export const contactsUploadQuery = z.object({
  emailColumn: column.default('Email'),
  accountIdColumn: column.default('AccountId'),
});

export const createImportBody = z.object({
  name: z.string().trim().regex(DATASET_NAME, 'use 1 to 80 letters, digits, spaces and . _ ( ) & \' -, starting with a letter or digit'),
  datasetId: id('ds').optional(),
});
export const commitBody = z.object({ mode: z.enum(['all-or-nothing', 'valid-only']) });
export const pagingQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const previewQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) });
export const mappingPreviewQuery = z.object({
  emailField: column.optional(),
  accountIdField: column.optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

const rejection = z.object({
  stage: z.enum(['accounts', 'contacts']),
  row: z.number().int(),
  column: z.string(),
  reason: z.enum(['missing-account-id', 'missing-address', 'malformed-address', 'duplicate-account', 'duplicate-address', 'unknown-account', 'row-malformed']),
  message: z.string(),
  value: z.string(),
});
const stageReport = z.object({
  mapping: z.record(z.string(), z.string()),
  columns: z.array(z.string()),
  received: z.number().int(),
  valid: z.number().int(),
  rejected: z.number().int(),
  rejections: z.array(rejection),
});
export const importSessionSchema = z.object({
  id: z.string(),
  name: z.string(),
  datasetId: z.string().nullable(),
  status: z.enum(['open', 'committed', 'discarded']),
  accounts: stageReport.nullable(),
  contacts: stageReport.nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export const datasetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  accountCount: z.number().int(),
  contactCount: z.number().int(),
  accountAttributes: z.array(z.string()),
  contactFields: z.array(z.string()),
  emailField: z.string(),
  accountIdField: z.string(),
  usedBy: z.array(z.object({ id: z.string(), name: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  updatedBy: z.string(),
});
export const rejectionsPageSchema = z.object({ items: z.array(rejection), total: z.number().int() });
export const previewSchema = z.object({ columns: z.array(z.string()), rows: z.array(z.record(z.string(), z.string())) });
export const mappingPreviewSchema = z.object({
  emailField: z.string(),
  accountIdField: z.string(),
  contactCount: z.number().int(),
  usableAddressCount: z.number().int(),
  unknownAccountCount: z.number().int(),
  samples: z.array(z.object({ email: z.string(), accountId: z.string() })),
});
