import { createHash } from 'node:crypto';
import type { RunInputs } from './run-inputs';

/**
 * The shape of what a run carries forward (email buckets: slots and their decayed sums;
 * conversation tails and the meeting ledger: since 4, keyed by number). A change to it changes
 * every fingerprint, so no refresh builds on a base of the old shape.
 */
export const CARRIED_STATE_FORMAT = 4;

/**
 * What a refresh may carry forward depends on: the selected mailboxes (their order is each
 * mailbox's index in S), the dataset version, the mapping, the exclusions, domain matching,
 * the organisation's domains and the score's half-life (the carried buckets hold each item's
 * decay for it). Any change gives another fingerprint and forces a full run.
 */
export function runFingerprint(i: RunInputs): string {
  const canonical = JSON.stringify([
    CARRIED_STATE_FORMAT,
    i.mailboxes.map((m) => [m.userId, m.mail.toLowerCase()]),
    i.datasetId,
    i.datasetVersion,
    i.accountsVersionId,
    i.contactsVersionId,
    [i.mapping.emailField, i.mapping.accountIdField],
    [...i.exclusions.addresses].sort(),
    [...i.exclusions.domains].sort(),
    i.matchAccountDomains,
    [...i.organisationDomains].map((d) => d.toLowerCase()).sort(),
    i.halfLifeDays,
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** A run's as-of: a whole UTC hour, so the year window starts on a bucket boundary. */
export function floorToHour(ms: number): number {
  return Math.floor(ms / 3_600_000) * 3_600_000;
}

export function isWholeHour(ms: number): boolean {
  return ms % 3_600_000 === 0;
}
