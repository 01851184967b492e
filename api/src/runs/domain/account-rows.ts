import { BucketRollup, DAY_MS, slotsInOrder, WINDOW_MS, type Bucket } from './engagement-buckets';
import type { ActivityRow, AggregationLevel, ScoreParts } from '../../snapshots/output-entity';
import { newScoreTally, scorePartsOf, tallySlot, type ScoreTally } from './engagement-score';
import { monthStart, referenceInstant, weekStart } from './periods';

/** A row as the engine writes it, before ranking: the columns and the score's parts. */
export interface AccountRow extends ActivityRow {
  ScoreParts: ScoreParts;
}

function toRow(account: { id: string; name: string }, level: AggregationLevel, start: number, b: Bucket, asOf: number): ActivityRow {
  const meetings = b.meetingsTo + b.meetingsFrom;
  return {
    AccountId: account.id,
    AccountName: account.name,
    AggregationLevel: level,
    AggregationStartDate: new Date(start).toISOString(),
    NoOfEmails_ToAccount: b.emailsTo,
    NoOfEmails_FromAccount: b.emailsFrom,
    NoOfMeetings_FromAccount: b.meetingsFrom,
    NoOfMeetings_ToAccount: b.meetingsTo,
    NoOfContactsInvolved_Emails: b.selectedOnEmails.length,
    NoOfContactsInvolved_Meetings: b.selectedOnMeetings.length,
    NoOfAccountContactsInvolved_Emails: b.accountOnEmails.length,
    NoOfAccountContactsInvolved_Meetings: b.accountOnMeetings.length,
    EngagementStartDate: b.first === null ? null : new Date(b.first).toISOString(),
    DaysSinceLastEmail: b.latestEmail === null ? null : Math.floor((asOf - b.latestEmail) / DAY_MS),
    DaysSinceLastMeeting: b.latestEndedMeeting === null ? null : Math.floor((asOf - b.latestEndedMeeting) / DAY_MS),
    AverageDuration_Of_Meetings: meetings === 0 ? null : b.meetingMs / meetings / 60_000,
    AverageDuration_Of_AccountEmailReplies: b.replies === 0 ? null : b.replyMs / b.replies / 60_000,
  };
}

/** A period being rolled up: its slots merged for the columns, and its score's tally. */
interface PeriodRollup {
  merged: BucketRollup;
  tally: ScoreTally;
}

/**
 * Rolls one account's buckets (from every mailbox, emails and meetings) up into its Week,
 * Month and Year rows with their score parts (H = `halfLifeDays`). A slot belongs to the window
 * and to the periods that hold its key (see `slotKey`); slots are taken in key order, so every
 * figure is the same whatever order the mailboxes' buckets came in. Week and Month rows exist
 * only where something was counted; the Year row always exists.
 */
export function accountRows(account: { id: string; name: string }, buckets: Iterable<Bucket>, asOf: number, halfLifeDays: number): AccountRow[] {
  return accountRowsOfSlots(account, slotsInOrder(buckets), asOf, halfLifeDays);
}

/**
 * `accountRows` for an account's slots already merged, one bucket per slot in ascending key
 * order (finalize merges them from the packed partials, see ShardSlots). No slot is kept: the
 * caller may refill one bucket for every slot.
 */
export function accountRowsOfSlots(account: { id: string; name: string }, slots: Iterable<Bucket>, asOf: number, halfLifeDays: number): AccountRow[] {
  const windowStart = asOf - WINDOW_MS;
  const rollup = (level: AggregationLevel, start: number): PeriodRollup => ({ merged: new BucketRollup(start), tally: newScoreTally(referenceInstant(level, start, asOf)) });
  const year = rollup('Year', windowStart);
  const weeks = new Map<number, PeriodRollup>();
  const months = new Map<number, PeriodRollup>();
  const add = (p: PeriodRollup, slot: Bucket) => {
    p.merged.add(slot);
    tallySlot(p.tally, slot, halfLifeDays);
  };
  // A day lies in one week and one month, and an account's slots come in key order, many to a
  // day: its week and month are looked up once per day.
  let day = NaN;
  let week: PeriodRollup | undefined;
  let month: PeriodRollup | undefined;
  for (const slot of slots) {
    if (slot.h <= windowStart || slot.h > asOf) continue;
    // The Year row's figures are its months' (below); its score is tallied slot by slot, as the score measures from the as-of.
    tallySlot(year.tally, slot, halfLifeDays);
    const d = Math.floor(slot.h / DAY_MS);
    if (d !== day) {
      day = d;
      const w = weekStart(slot.h);
      week = weeks.get(w) ?? weeks.set(w, rollup('Week', w)).get(w)!;
      const m = monthStart(slot.h);
      month = months.get(m) ?? months.set(m, rollup('Month', m)).get(m)!;
    }
    add(week!, slot);
    add(month!, slot);
  }
  const sorted = (m: Map<number, PeriodRollup>) => [...m.entries()].sort((a, b) => a[0] - b[0]);
  const monthsInOrder = sorted(months);
  // Every slot of the window is in exactly one month: the year is its months merged, in order,
  // which unites a dozen sets instead of every slot's (the roll-ups' sets were the merge's
  // largest cost after decoding, issue 13).
  for (const [, p] of monthsInOrder) year.merged.addRollup(p.merged);
  const scored = (level: AggregationLevel, start: number, p: PeriodRollup): AccountRow => {
    const merged = p.merged.rolledUp();
    return { ...toRow(account, level, start, merged, asOf), ScoreParts: scorePartsOf(p.tally, merged, halfLifeDays) };
  };
  const rows: AccountRow[] = [];
  for (const [start, p] of sorted(weeks)) rows.push(scored('Week', start, p));
  for (const [start, p] of monthsInOrder) rows.push(scored('Month', start, p));
  rows.push(scored('Year', windowStart, year));
  return rows;
}
