/**
 * Shapes of the admin half of the API (customer data, directory, enrichments, consent), as
 * docs/rest-api.md defines them. Kept apart from api-types.ts so the tab's first chunk does
 * not grow with admin-only types and so parallel work on the shell does not collide.
 */

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

export type RejectionReason =
  | 'missing-account-id'
  | 'missing-address'
  | 'malformed-address'
  | 'duplicate-account'
  | 'duplicate-address'
  | 'unknown-account'
  | 'row-malformed';

export type ImportStage = 'accounts' | 'contacts';

export interface Rejection {
  stage: ImportStage;
  row: number;
  column: string;
  reason: RejectionReason;
  message: string;
  value: string;
}

export interface StageReport {
  mapping: Record<string, string>;
  columns: string[];
  received: number;
  valid: number;
  rejected: number;
  rejections: Rejection[];
}

export interface ImportSession {
  id: string;
  name: string;
  datasetId: string | null;
  status: 'open' | 'committed' | 'discarded';
  accounts: StageReport | null;
  contacts: StageReport | null;
  createdAt: string;
  expiresAt: string;
}

export type CommitMode = 'all-or-nothing' | 'valid-only';

export interface UploadPreview {
  columns: string[];
  rows: Array<Record<string, string>>;
}

export interface MappingPreview {
  emailField: string;
  accountIdField: string;
  contactCount: number;
  usableAddressCount: number;
  unknownAccountCount: number;
  samples: Array<{ email: string; accountId: string }>;
}

export interface AccountsMapping {
  accountIdColumn: string;
  nameColumn?: string;
  domainsColumn?: string;
}

export interface ContactsMapping {
  emailColumn: string;
  accountIdColumn: string;
}

export type DirectoryKind = 'user' | 'group';

export interface DirectoryEntry {
  kind: DirectoryKind;
  id: string;
  displayName: string;
  mail: string | null;
  /** Groups only: people in it, nested groups included; null when unknown. */
  memberCount?: number | null;
}

export interface Selection {
  kind: DirectoryKind;
  id: string;
  displayName?: string;
}

export type UnresolvedReason = 'not-found' | 'no-mailbox' | 'disabled' | 'empty-group';

export interface UnresolvedSelection {
  kind: DirectoryKind;
  id: string;
  displayName: string | null;
  reason: UnresolvedReason;
}

export interface Resolution {
  mailboxes: Array<{ userId: string; mail: string }>;
  count: number;
  unresolved: UnresolvedSelection[];
  limits: { min: number; max: number };
  withinLimits: boolean;
  message: string | null;
}

export type PrerequisiteId = 'region' | 'licence' | 'dataset' | 'role';
export type PrerequisiteStatus = 'met' | 'not-met' | 'unknown';

export interface Prerequisites {
  items: Array<{ id: PrerequisiteId; status: PrerequisiteStatus; reason: string }>;
  supportedCountries: string[];
  countryLetterCode: string | null;
  canCreate: boolean;
}

export type ConsentState = 'awaiting' | 'consented' | 'refused';
export type EnrichmentState = 'awaiting-consent' | 'consented' | 'consent-refused' | 'paused';

export interface ConsentStatus {
  state: ConsentState;
  requestedAt: string | null;
  requestedBy: string | null;
  recipients: string[];
  decidedAt: string | null;
  decidedBy: string | null;
  source: 'consent-link' | 'detected' | null;
  refusalReason: string | null;
  history: Array<{
    at: string;
    event: 'requested' | 'consented' | 'refused' | 'detected' | 'invalid-callback' | 'unconfirmed-callback';
    by: string | null;
    detail: string | null;
  }>;
}

export interface ConsentRequestResult {
  link: string;
  sent: boolean;
  recipients: string[];
  recipientSource: 'global-admins' | 'supplied' | 'none';
  reason: string | null;
}

export interface EnrichmentInput {
  name: string;
  entityName?: string;
  mailboxes: { selections: Selection[] };
  datasetId: string;
  mapping: { emailField: string; accountIdField: string };
  exclusions?: { addresses?: string[]; domains?: string[] };
  matchAccountDomains?: boolean;
  /** The engagement score's half-life, 7–365 days (default 30). */
  halfLifeDays?: number;
  consentAgreed: true;
  consentRecipients?: string[];
}

export interface Enrichment {
  id: string;
  name: string;
  entityName: string;
  userEntityName: string;
  state: EnrichmentState;
  paused: boolean;
  mailboxes: {
    selections: Selection[];
    resolved: Array<{ userId: string; mail: string }>;
    unresolved: UnresolvedSelection[];
    count: number;
  };
  datasetId: string;
  datasetName: string | null;
  mapping: { emailField: string; accountIdField: string };
  exclusions: { addresses: string[]; domains: string[] };
  matchAccountDomains: boolean;
  halfLifeDays: number;
  consentAgreement: { agreedBy: string; agreedAt: string };
  consent: ConsentStatus;
  version: number;
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface AdminEnrichmentSummary {
  id: string;
  name: string;
  entityName: string;
  state: EnrichmentState;
  paused: boolean;
  consentState: ConsentState;
  datasetId: string;
  mailboxCount: number;
  version: number;
  updatedAt: string;
}

export interface NameAvailability {
  available: boolean;
  reason: string | null;
}
