/**
 * The enrichment wizard's domain, free of React: what the admin has entered so far, how it is
 * checked step by step, and how it becomes the API's EnrichmentInput. The server checks the
 * same rules again on save; these exist so mistakes show next to the field that caused them.
 */
import { halfLifeDaysOf, halfLifeLimits, halfLifeProblem } from '../../components/half-life';
import type { DirectoryKind, Enrichment, EnrichmentInput, Selection } from '../../platform/api/contracts';

export const wizardSteps = ['overview', 'mailboxes', 'consent', 'dataset', 'mapping', 'exclusions', 'name', 'review'] as const;
export type WizardStep = (typeof wizardSteps)[number];

export interface PickedEntry {
  kind: DirectoryKind;
  id: string;
  displayName: string;
  mail: string | null;
}

export interface WizardDraft {
  picked: PickedEntry[];
  consentAgreed: boolean;
  datasetId: string | null;
  emailField: string;
  accountIdField: string;
  /** The account column naming each account's owner (account alerts), or null: none. */
  ownerField: string | null;
  matchAccountDomains: boolean;
  excludedAddresses: string[];
  excludedDomains: string[];
  name: string;
  entityName: string;
  /** The engagement score's half-life in days, as typed (checked by `halfLifeProblem`). */
  halfLifeDays: string;
  /** The small-count privacy threshold k (2–10), or null: off. */
  privacyThreshold: number | null;
}

export const defaultEntityName = 'Office';
export const mailboxLimits = { min: 2, max: 2500 } as const;
/** The API's own bound for each exclusion list. */
export const maxExclusions = 1000;

export const emptyDraft: WizardDraft = {
  picked: [],
  consentAgreed: false,
  datasetId: null,
  emailField: '',
  accountIdField: '',
  ownerField: null,
  matchAccountDomains: false,
  excludedAddresses: [],
  excludedDomains: [],
  name: '',
  entityName: defaultEntityName,
  halfLifeDays: String(halfLifeLimits.default),
  privacyThreshold: null,
};

/** The picker's option value for a directory entry; kind is part of it as ids may repeat across kinds. */
export function pickKey(entry: { kind: DirectoryKind; id: string }): string {
  return `${entry.kind}:${entry.id}`;
}

export function selectionsOf(draft: Pick<WizardDraft, 'picked'>): Selection[] {
  return draft.picked.map((p) => ({ kind: p.kind, id: p.id, displayName: p.displayName }));
}

/** A stable key for "these selections": the resolution shown must be for exactly this set. */
export function selectionKey(picked: readonly PickedEntry[]): string {
  return picked.map(pickKey).sort().join('|');
}

/** A stored enrichment as a draft, so editing opens the same wizard with everything filled in. */
export function draftFromEnrichment(e: Enrichment): WizardDraft {
  const mailById = new Map(e.mailboxes.resolved.map((m) => [m.userId, m.mail]));
  return {
    picked: e.mailboxes.selections.map((s) => ({
      kind: s.kind,
      id: s.id,
      displayName: s.displayName ?? s.id,
      mail: s.kind === 'user' ? (mailById.get(s.id) ?? null) : null,
    })),
    // Editing re-affirms the statement already agreed to; the box stays visible and can be unticked.
    consentAgreed: true,
    datasetId: e.datasetId,
    emailField: e.mapping.emailField,
    accountIdField: e.mapping.accountIdField,
    ownerField: e.mapping.ownerField ?? null,
    matchAccountDomains: e.matchAccountDomains,
    excludedAddresses: [...e.exclusions.addresses],
    excludedDomains: [...e.exclusions.domains],
    name: e.name,
    entityName: e.entityName,
    halfLifeDays: String(e.halfLifeDays),
    privacyThreshold: e.privacyThreshold ?? null,
  };
}

export function toEnrichmentInput(draft: WizardDraft, consentRecipients: readonly string[] = []): EnrichmentInput {
  if (!draft.datasetId) throw new Error('toEnrichmentInput: no dataset chosen');
  const input: EnrichmentInput = {
    name: draft.name.trim(),
    entityName: draft.entityName.trim() || defaultEntityName,
    mailboxes: { selections: selectionsOf(draft) },
    datasetId: draft.datasetId,
    mapping: { emailField: draft.emailField, accountIdField: draft.accountIdField, ownerField: draft.ownerField },
    exclusions: { addresses: [...draft.excludedAddresses], domains: [...draft.excludedDomains] },
    matchAccountDomains: draft.matchAccountDomains,
    privacyThreshold: draft.privacyThreshold,
    consentAgreed: true,
  };
  // An invalid value never leaves the tab: the review step keeps Save disabled until it is fixed.
  if (halfLifeProblem(draft.halfLifeDays) === null) input.halfLifeDays = halfLifeDaysOf(draft.halfLifeDays);
  if (consentRecipients.length > 0) input.consentRecipients = [...consentRecipients];
  return input;
}

export type NameProblem = 'required' | 'length' | 'characters';

/** 3..64 characters: letters, digits, space, hyphen, underscore, dot (the API's rule). */
export function nameProblem(name: string): NameProblem | null {
  const value = name.trim();
  if (value === '') return 'required';
  if (value.length < 3 || value.length > 64) return 'length';
  if (!/^[\p{L}\p{N} ._-]+$/u.test(value)) return 'characters';
  return null;
}

/** 1..40 characters, a letter first, then letters, digits or underscores. */
export function entityNameProblem(entityName: string): NameProblem | null {
  const value = entityName.trim();
  if (value === '') return 'required';
  if (value.length > 40) return 'length';
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(value)) return 'characters';
  return null;
}

const addressPattern = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
const domainPattern = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

/** Split pasted text on commas, semicolons, spaces and line breaks; normalise like the API does. */
export function splitEntries(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

export function isAddress(value: string): boolean {
  return addressPattern.test(value);
}

export function isDomain(value: string): boolean {
  return domainPattern.test(value);
}

/** A domain as people paste it (`@example.com`, `https://example.com/`) reduced to the name. */
export function normaliseDomain(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^@/, '')
    .replace(/\/.*$/, '');
}

export interface EntryParse {
  added: string[];
  invalid: string[];
  duplicates: string[];
}

/** Parse what was typed into an exclusion box against what the list already holds. */
export function parseEntries(text: string, kind: 'address' | 'domain', existing: readonly string[]): EntryParse {
  const have = new Set(existing);
  const result: EntryParse = { added: [], invalid: [], duplicates: [] };
  for (const raw of splitEntries(text)) {
    const value = kind === 'domain' ? normaliseDomain(raw) : raw;
    const ok = kind === 'domain' ? isDomain(value) : isAddress(value);
    if (!ok) result.invalid.push(raw);
    else if (have.has(value)) result.duplicates.push(value);
    else {
      have.add(value);
      result.added.push(value);
    }
  }
  return result;
}

/** Add domains once each, keeping the order the admin built up. */
export function mergeDomains(existing: readonly string[], more: readonly string[]): string[] {
  const seen = new Set(existing);
  const merged = [...existing];
  for (const d of more.map(normaliseDomain)) {
    if (!seen.has(d)) {
      seen.add(d);
      merged.push(d);
    }
  }
  return merged;
}

/** Whether each step (except review) is complete; computed by the page from draft + API answers. */
export type StepValidity = Record<Exclude<WizardStep, 'review'>, boolean>;

/**
 * The furthest step the header lets the admin jump to: every step before it must be valid.
 * Steps after the first invalid one stay locked, so nobody reviews half a configuration.
 */
export function furthestReachable(validity: StepValidity): number {
  for (let i = 0; i < wizardSteps.length - 1; i++) {
    if (!validity[wizardSteps[i] as Exclude<WizardStep, 'review'>]) return i;
  }
  return wizardSteps.length - 1;
}
