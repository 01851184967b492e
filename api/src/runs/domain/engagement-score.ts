import type { ScoreParts } from '../../snapshots/output-entity';
import { DAY_MS, DECAY_SCALE, emptyBucket, mergeBucketInto, slotsInOrder, type Bucket, type KindSums } from './engagement-buckets';

/**
 * The engagement score of the spec (../shared/spec/engagement-metrics.md, "Engagement score"):
 * every counted item weighs w × 2^(−age / H), activity is their sum, P the account's distinct
 * people on the row's items, raw = ln(1 + activity) + 0.5 × ln(1 + P), and the score is the
 * mid-rank percentile of raw among the accounts with something counted in the same row.
 */

/** Weight of each kind of counted item. */
export const ITEM_WEIGHTS: Readonly<KindSums> = { emailsTo: 1, emailsFrom: 2, meetingsTo: 3, meetingsFrom: 4 };

/** The card's "recent" emails and meetings: the 90 days up to the row's reference instant. */
export const RECENT_DAYS = 90;

/** Raws this close (relative) are the same raw when ranking: float sums in another order differ in their last bits. */
export const TIE_RELATIVE_TOLERANCE = 1e-9;

/** Score bands for display and filters (spec: High 70–100, Medium 40–69, Low 1–39; 0 is "no engagement"). */
export const SCORE_BANDS = { high: [70, 100], medium: [40, 69], low: [1, 39], none: [0, 0] } as const;
export type ScoreBand = keyof typeof SCORE_BANDS;
export function scoreBand(score: number): ScoreBand {
  return score >= SCORE_BANDS.high[0] ? 'high' : score >= SCORE_BANDS.medium[0] ? 'medium' : score >= SCORE_BANDS.low[0] ? 'low' : 'none';
}

/** A row's activity counts (declared here, not taken from the row type, which is built from this module's parts). */
export interface ActivityCounts {
  NoOfEmails_ToAccount: number;
  NoOfEmails_FromAccount: number;
  NoOfMeetings_ToAccount: number;
  NoOfMeetings_FromAccount: number;
}

export function hasActivity(r: ActivityCounts): boolean {
  return r.NoOfEmails_ToAccount + r.NoOfEmails_FromAccount + r.NoOfMeetings_ToAccount + r.NoOfMeetings_FromAccount > 0;
}

export function rawScore(activity: number, people: number): number {
  return Math.log1p(activity) + 0.5 * Math.log1p(people);
}

/** A row's score while its slots are added: its weighted, decayed parts and its recent counts. */
export interface ScoreTally {
  reference: number;
  part: KindSums;
  recentEmails: number;
  recentMeetings: number;
}

export function newScoreTally(reference: number): ScoreTally {
  return { reference, part: { emailsTo: 0, emailsFrom: 0, meetingsTo: 0, meetingsFrom: 0 }, recentEmails: 0, recentMeetings: 0 };
}

/**
 * Adds one slot of the row: all of the slot's items, from every mailbox (`slotsInOrder`).
 * Slots must come in ascending key order: the decayed parts are float sums, and adding them in
 * one order makes them the same however the buckets arrived.
 */
export function tallySlot(t: ScoreTally, slot: Bucket, halfLifeDays: number): void {
  const scale = 2 ** ((slot.h - t.reference) / (halfLifeDays * DAY_MS)) / DECAY_SCALE;
  const { decayed } = slot;
  const { part } = t;
  // Spelled out per kind: finalize runs this three times per slot of every account.
  if (decayed.emailsTo !== 0) part.emailsTo += ITEM_WEIGHTS.emailsTo * decayed.emailsTo * scale;
  if (decayed.emailsFrom !== 0) part.emailsFrom += ITEM_WEIGHTS.emailsFrom * decayed.emailsFrom * scale;
  if (decayed.meetingsTo !== 0) part.meetingsTo += ITEM_WEIGHTS.meetingsTo * decayed.meetingsTo * scale;
  if (decayed.meetingsFrom !== 0) part.meetingsFrom += ITEM_WEIGHTS.meetingsFrom * decayed.meetingsFrom * scale;
  if (slot.h > t.reference - RECENT_DAYS * DAY_MS) {
    t.recentEmails += slot.emailsTo + slot.emailsFrom;
    t.recentMeetings += slot.meetingsTo + slot.meetingsFrom;
  }
}

/** A row's score parts once every slot is tallied; `row` is its slots merged (people, last contact). */
export function scorePartsOf(t: ScoreTally, row: Bucket, halfLifeDays: number): ScoreParts {
  const { part } = t;
  const activity = part.emailsTo + part.emailsFrom + part.meetingsTo + part.meetingsFrom;
  const onEmails = new Set(row.accountOnEmails);
  const people = onEmails.size + row.accountOnMeetings.filter((a) => !onEmails.has(a)).length;
  const lastContact = row.latestEmail === null ? row.latestEndedMeeting : row.latestEndedMeeting === null ? row.latestEmail : Math.max(row.latestEmail, row.latestEndedMeeting);
  return {
    activity,
    activityEmailsToAccount: part.emailsTo,
    activityEmailsFromAccount: part.emailsFrom,
    activityMeetingsByOrganisation: part.meetingsTo,
    activityMeetingsByAccount: part.meetingsFrom,
    people,
    raw: rawScore(activity, people),
    recentEmails: t.recentEmails,
    recentMeetings: t.recentMeetings,
    daysSinceLastContact: lastContact === null ? null : Math.floor((t.reference - lastContact) / DAY_MS),
    halfLifeDays,
  };
}

/** The score parts of one account's buckets (any number per slot: one per mailbox) as one row measured from `reference`. */
export function scoreParts(buckets: Iterable<Bucket>, reference: number, halfLifeDays: number): ScoreParts {
  const tally = newScoreTally(reference);
  const row = emptyBucket(0);
  for (const slot of slotsInOrder(buckets)) {
    tallySlot(tally, slot, halfLifeDays);
    mergeBucketInto(row, slot);
  }
  return scorePartsOf(tally, row, halfLifeDays);
}

function sameRaw(a: number, b: number): boolean {
  return Math.abs(a - b) <= TIE_RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * 0–100 scores for the rows of one level and period, given their raws (null: nothing counted,
 * scores 0). With N the active rows, L those with a lower raw and E those with an equal raw
 * (itself included): round_half_up(100 × (L + E / 2) / N), in integers so no rounding is
 * involved. Equal raws are the runs of the sorted raws whose neighbours are within
 * TIE_RELATIVE_TOLERANCE of each other: an equivalence, so equal raws always score equal.
 */
export function rankScores(raws: readonly (number | null)[]): number[] {
  const active: Array<{ raw: number; index: number }> = [];
  raws.forEach((raw, index) => {
    if (raw !== null) active.push({ raw, index });
  });
  active.sort((a, b) => a.raw - b.raw);
  const n = active.length;
  const scores = new Array<number>(raws.length).fill(0);
  for (let first = 0; first < n; ) {
    let end = first + 1;
    while (end < n && sameRaw(active[end - 1]!.raw, active[end]!.raw)) end++;
    const score = Math.floor((100 * (2 * first + (end - first)) + n) / (2 * n));
    for (let k = first; k < end; k++) scores[active[k]!.index] = score;
    first = end;
  }
  return scores;
}
