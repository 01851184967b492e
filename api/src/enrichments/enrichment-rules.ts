import { isWellFormedAddress, isWellFormedDomain, normalizeAddress } from '../datasets/dataset-rows';
import type { ProblemField } from '../platform/errors/app-error';

/**
 * Pure rules for an enrichment's fields: names, entity names, exclusions, and the bounds of the
 * run settings an admin chooses (the score's half-life, the privacy threshold). The engine reads
 * these settings from here: runs depend on enrichments, never the other way round.
 */

export const ENRICHMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{1,62}[A-Za-z0-9._-]$/;
export const ENRICHMENT_NAME_RULE = '3 to 64 characters: letters, digits, spaces and - _ . (starting with a letter or digit, not ending with a space)';
export const ENTITY_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
export const ENTITY_NAME_RULE = '1 to 40 characters: letters, digits and _, starting with a letter';
export const DEFAULT_ENTITY_NAME = 'Office';
export const MAX_EXCLUSIONS = 1000;

/** The half-life H of the engagement score an admin may choose per enrichment, in days. */
export const HALF_LIFE_DAYS = { min: 7, max: 365, default: 30 } as const;
export const HALF_LIFE_RULE = `a whole number of days from ${HALF_LIFE_DAYS.min} to ${HALF_LIFE_DAYS.max}`;

/** The score's half-life of an enrichment; one saved before it could be chosen has the default. */
export function halfLifeOf(e: { halfLifeDays?: number }): number {
  return e.halfLifeDays ?? HALF_LIFE_DAYS.default;
}

/** The small-count privacy threshold k (runs/domain/privacy-threshold.ts applies it at publish). */
export const PRIVACY_THRESHOLD = { min: 2, max: 10 } as const;
export const PRIVACY_THRESHOLD_RULE = `a whole number from ${PRIVACY_THRESHOLD.min} to ${PRIVACY_THRESHOLD.max}, or null (off)`;

/** An enrichment's threshold; one saved before it existed has it off. */
export function privacyThresholdOf(e: { privacyThreshold?: number | null }): number | null {
  return e.privacyThreshold ?? null;
}

export function userEntityName(entityName: string): string {
  return `${entityName}_UserEntity`;
}

export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

/** Common consumer mail domains, for the wizard's one-click exclusion. */
export const FREE_MAIL_DOMAINS = [
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'hotmail.co.uk', 'live.com', 'msn.com', 'yahoo.com',
  'yahoo.co.uk', 'yahoo.fr', 'ymail.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com',
  'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.com', 'zoho.com', 'fastmail.com', 'hey.com', 'orange.fr',
  'free.fr', 'laposte.net', 't-online.de', 'libero.it', 'qq.com', '163.com',
] as const;

export interface NormalisedExclusions {
  addresses: string[];
  domains: string[];
}

/** Lower-cases, trims and de-duplicates; reports every value that is not an address/domain. */
export function normaliseExclusions(input: { addresses?: string[]; domains?: string[] } | undefined): { value: NormalisedExclusions; problems: ProblemField[] } {
  const problems: ProblemField[] = [];
  const addresses = new Set<string>();
  const domains = new Set<string>();
  (input?.addresses ?? []).forEach((raw, i) => {
    const a = normalizeAddress(raw);
    if (!a) return;
    if (isWellFormedAddress(a)) addresses.add(a);
    else problems.push({ path: `body.exclusions.addresses.${i}`, message: `"${raw}" is not an email address` });
  });
  (input?.domains ?? []).forEach((raw, i) => {
    const d = normalizeAddress(raw).replace(/^@/, '');
    if (!d) return;
    if (isWellFormedDomain(d)) domains.add(d);
    else problems.push({ path: `body.exclusions.domains.${i}`, message: `"${raw}" is not a domain name` });
  });
  return { value: { addresses: [...addresses].sort(), domains: [...domains].sort() }, problems };
}
