/**
 * The activity model: lightweight logical records of conversations and meetings.
 *
 * Activity is organised in "units", one per team. A unit holds the traffic of the accounts
 * the team works (seller- and account-initiated threads, automatic mail from account
 * domains, account meetings) and the team's own traffic (internal threads, unknown external
 * senders, third-party mail, BCC-only mail, internal meetings). Internal people in a unit
 * come only from the team and its partner team (the next team), so a mailbox's copies can
 * be regenerated from two units: its own team's and the team whose partner it is.
 *
 * Each stream (one account's mail, one team's meetings, …) has its own seeded generator, so
 * a stream's records are identical however and whenever they are regenerated.
 */
import type { DirectoryModel, Party } from './generate-directory';
import type { TenantSpec } from './tenant.types';
import { rngFor, type Rng } from './random';
import {
  AUTOMATIC_LOCAL_PARTS,
  GIVEN_NAMES,
  SURNAMES,
  THIRD_PARTY_SENDERS,
  TOOL_NOTIFIERS,
  UNKNOWN_SENDER_DOMAINS,
} from './directory-vocabulary';
import { slugify } from './generate-directory';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Activity spans anchor − 400 days to anchor + 90 days. */
export const SPAN_BEFORE_ANCHOR_DAYS = 400;
export const SPAN_AFTER_ANCHOR_DAYS = 90;

/** Stream kinds; part of every derived id so ids from different streams never collide. */
export const STREAM_ACCOUNT_MAIL = 1;
export const STREAM_ACCOUNT_MEETINGS = 2;
export const STREAM_TEAM_MAIL = 3;
export const STREAM_TEAM_MEETINGS = 4;

export type ThreadKind =
  | 'seller-initiated'
  | 'account-initiated'
  | 'domain-only'
  | 'automatic'
  | 'internal'
  | 'unknown-external'
  | 'third-party'
  | 'bcc-only'
  | 'tool-notification';

export interface MessageRecord {
  /** Position in the thread (part of the message's identity). */
  ordinal: number;
  sentMs: number;
  from: Party;
  to: Party[];
  cc: Party[];
  bcc: Party[];
  isDraft: boolean;
}

export interface ThreadRecord {
  streamKind: number;
  streamIndex: number;
  threadIndex: number;
  kind: ThreadKind;
  /** Index into a topic list, for subjects. */
  topic: number;
  /** The account the thread is about, -1 when none. */
  accountIndex: number;
  messages: MessageRecord[];
}

export type AttendeeResponse = 'none' | 'accepted' | 'tentativelyAccepted' | 'declined' | 'notResponded';

export interface AttendeeRecord {
  party: Party;
  type: 'required' | 'optional' | 'resource';
  response: AttendeeResponse;
}

export interface OccurrenceRecord {
  /** Position in the series (0 for single meetings); part of the occurrence's identity. */
  ordinal: number;
  type: 'singleInstance' | 'occurrence' | 'exception';
  startMs: number;
  endMs: number;
  /** Where a moved occurrence (exception) was originally scheduled. */
  originalStartMs: number;
  cancelledMs: number | null;
}

export interface MeetingRecord {
  streamKind: number;
  streamIndex: number;
  meetingIndex: number;
  kind: 'account' | 'internal';
  topic: number;
  accountIndex: number;
  organizer: Party;
  attendees: AttendeeRecord[];
  recurrence: 'none' | 'weekly' | 'biweekly';
  createdMs: number;
  isOnline: boolean;
  occurrences: OccurrenceRecord[];
}

export interface UnitActivity {
  team: number;
  threads: ThreadRecord[];
  meetings: MeetingRecord[];
}

/** Rates and the time span shared by every stream of a tenant. */
export interface ActivityContext {
  spec: TenantSpec;
  dir: DirectoryModel;
  spanStartMs: number;
  spanEndMs: number;
  spanYears: number;
  messagesPerYear: number;
  meetingsPerYear: number;
}

export function activityContext(spec: TenantSpec, dir: DirectoryModel): ActivityContext {
  const anchorMs = spec.anchor.getTime();
  const spanStartMs = anchorMs - SPAN_BEFORE_ANCHOR_DAYS * DAY_MS;
  const spanEndMs = anchorMs + SPAN_AFTER_ANCHOR_DAYS * DAY_MS;
  return {
    spec,
    dir,
    spanStartMs,
    spanEndMs,
    spanYears: (SPAN_BEFORE_ANCHOR_DAYS + SPAN_AFTER_ANCHOR_DAYS) / 365,
    messagesPerYear: spec.messagesPerMailboxPerYear ?? 120,
    meetingsPerYear: spec.meetingsPerMailboxPerYear ?? 40,
  };
}

/** Share of all logical messages / meeting occurrences that involve accounts. */
const ACCOUNT_MAIL_SHARE = 0.62;
const ACCOUNT_MEETING_SHARE = 0.55;
const THREAD_LENGTH_WEIGHTS = [0.28, 0.27, 0.18, 0.13, 0.08, 0.06];
const MEAN_THREAD_LENGTH = 2.64;
/** Mean occurrences per account meeting item (25 % series of ~10, 75 % singles). */
const MEAN_OCCURRENCES_PER_ITEM = 3.25;

export function partnerTeam(ctx: ActivityContext, team: number): number {
  return (team + 1) % ctx.dir.teams.length;
}

/** The units whose records can put copies in mailbox `userIndex`. */
export function unitsForUser(ctx: ActivityContext, userIndex: number): number[] {
  const t = ctx.dir.teamOfUser[userIndex] ?? 0;
  const n = ctx.dir.teams.length;
  const previous = (t - 1 + n) % n;
  return previous === t ? [t] : [t, previous];
}

function secondsFloor(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** A moment in the span on a (mostly) working day during (mostly) office hours, UTC. */
function businessMoment(rng: Rng, ctx: ActivityContext): number {
  const days = Math.floor((ctx.spanEndMs - ctx.spanStartMs) / DAY_MS);
  let dayStart = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    dayStart = Math.floor(ctx.spanStartMs / DAY_MS) * DAY_MS + rng.int(0, days - 1) * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday !== 0 && weekday !== 6) break;
  }
  const hour = rng.chance(0.9) ? 7 + rng.next() * 11 : rng.next() * 24;
  return secondsFloor(Math.max(ctx.spanStartMs, dayStart + hour * HOUR_MS));
}

function replyDelayMs(rng: Rng, internalSender: boolean): number {
  const medianMinutes = internalSender ? 90 : 200;
  const minutes = Math.min(12 * 24 * 60, Math.max(1, rng.logNormal(medianMinutes, 1.5)));
  return Math.round(minutes * MINUTE_MS / 1000) * 1000;
}

// A person always appears with the same address string within the model, so exact
// comparison is enough here (and much cheaper than normalising).
function without(list: Party[], ...drop: Party[]): Party[] {
  return list.filter((p) => !drop.some((d) => d.address === p.address));
}

function distinctParties(list: Party[]): Party[] {
  const out: Party[] = [];
  for (const p of list) {
    if (!out.some((q) => q.address === p.address)) out.push(p);
  }
  return out;
}

interface ThreadOpening {
  from: Party;
  to: Party[];
  cc: Party[];
  bcc: Party[];
  length: number;
  startMs: number;
  /** Whether an internal participant may leave an unsent reply (a draft) at the end. */
  draftChance: number;
}

/**
 * A back-and-forth conversation. Each reply is written by a recipient of the previous
 * message, preferring the other side (internal ↔ external); it goes to the previous sender
 * and, on reply-all, to everyone else who was on it.
 */
function buildMessages(rng: Rng, ctx: ActivityContext, open: ThreadOpening): MessageRecord[] {
  const messages: MessageRecord[] = [
    { ordinal: 0, sentMs: open.startMs, from: open.from, to: open.to, cc: open.cc, bcc: open.bcc, isDraft: false },
  ];
  for (let i = 1; i < open.length; i++) {
    const prev = messages[i - 1] as MessageRecord;
    const recipients = distinctParties([...prev.to, ...prev.cc]);
    const prevInternal = prev.from.userIndex >= 0;
    const otherSide = recipients.filter((p) => (p.userIndex >= 0) !== prevInternal);
    const pool = otherSide.length > 0 ? otherSide : recipients;
    if (pool.length === 0) break;
    const from = rng.chance(0.8) ? (pool[0] as Party) : rng.pick(pool);
    const sentMs = prev.sentMs + replyDelayMs(rng, from.userIndex >= 0);
    if (sentMs > ctx.spanEndMs) break;
    const replyAll = rng.chance(0.65);
    const cc = replyAll ? without(recipients, from, prev.from) : [];
    messages.push({ ordinal: i, sentMs, from, to: [prev.from], cc, bcc: [], isDraft: false });
  }
  if (open.draftChance > 0 && rng.chance(open.draftChance)) {
    const last = messages[messages.length - 1] as MessageRecord;
    const internal = distinctParties([...last.to, ...last.cc]).filter((p) => p.userIndex >= 0);
    if (internal.length > 0) {
      const author = rng.pick(internal);
      const sentMs = last.sentMs + replyDelayMs(rng, true);
      if (sentMs <= ctx.spanEndMs) {
        messages.push({ ordinal: messages.length, sentMs, from: author, to: [last.from], cc: [], bcc: [], isDraft: true });
      }
    }
  }
  return messages;
}

function threadLength(rng: Rng): number {
  return 1 + rng.weightedIndex(THREAD_LENGTH_WEIGHTS);
}

function teamMates(ctx: ActivityContext, team: number, exclude: number): Party[] {
  const members = ctx.dir.teams[team]?.members ?? [];
  return members.filter((m) => m !== exclude).map((m) => ctx.dir.userParties[m] as Party);
}

function partnerPeople(ctx: ActivityContext, team: number, exclude: number): Party[] {
  const p = partnerTeam(ctx, team);
  return p === team ? [] : teamMates(ctx, p, exclude);
}

/** A person at the account's domain who is not in the dataset (only domain matching finds them). */
function domainStranger(rng: Rng, domain: string): Party {
  if (rng.chance(0.3)) return { name: 'Info', address: `info@${domain}`, userIndex: -1 };
  const first = rng.pick(GIVEN_NAMES);
  const last = rng.pick(SURNAMES);
  return { name: `${first} ${last}`, address: `${slugify(first)}.${slugify(last)}.x@${domain}`, userIndex: -1 };
}

/** Picks contacts of an account, favouring the first ones (the usual correspondents). */
function pickContacts(rng: Rng, ctx: ActivityContext, account: number, count: number): Party[] {
  const idx = ctx.dir.accountContacts[account] ?? [];
  if (idx.length === 0) return [];
  const weights = idx.map((_, i) => 1 / (i + 1));
  const out: Party[] = [];
  for (let k = 0; k < count * 3 && out.length < Math.min(count, idx.length); k++) {
    const party = ctx.dir.contactParties[idx[rng.weightedIndex(weights)] as number] as Party;
    if (!out.includes(party)) out.push(party);
  }
  return out;
}

/** An account's mail: expected volume proportional to its engagement weight. */
export function accountThreads(ctx: ActivityContext, account: number): ThreadRecord[] {
  const { dir } = ctx;
  const weight = dir.accountWeights[account] ?? 0;
  if (weight <= 0 || dir.accountWeightTotal <= 0) return [];
  const rng = rngFor(ctx.spec.seed, `account-mail:${account}`);
  const tenantMessages = dir.users.length * ctx.messagesPerYear * ACCOUNT_MAIL_SHARE * ctx.spanYears;
  const expectedMessages = (tenantMessages * weight) / dir.accountWeightTotal;
  const threadCount = rng.poisson(expectedMessages / MEAN_THREAD_LENGTH);
  const team = dir.accountTeam[account] ?? 0;
  const owner = dir.accountOwner[account] ?? 0;
  const domains = dir.accounts[account]?.domains ?? [];
  const out: ThreadRecord[] = [];

  for (let t = 0; t < threadCount; t++) {
    const kind = rng.weightedPick(
      ['seller-initiated', 'account-initiated', 'domain-only', 'automatic'] as const,
      [0.62, 0.28, 0.05, 0.05],
    );
    const mates = teamMates(ctx, team, owner);
    const seller = rng.chance(0.75) || mates.length === 0 ? (dir.userParties[owner] as Party) : rng.pick(mates);
    const otherMates = without(mates, seller);
    const contacts = pickContacts(rng, ctx, account, rng.weightedPick([1, 2, 3], [6, 3, 1]));
    const startMs = businessMoment(rng, ctx);
    const topic = rng.int(0, 1000);
    let open: ThreadOpening;

    if (kind === 'automatic' || contacts.length === 0) {
      const local = rng.pick(AUTOMATIC_LOCAL_PARTS);
      const domain = rng.pick(domains);
      // An account whose customer list maps its automatic address sends its notices from it.
      const address = dir.accountAutomaticContact[account] ?? `${local}@${domain}`;
      const sender: Party = { name: `${dir.accounts[account]?.name ?? 'Account'} Notifications`, address, userIndex: -1 };
      open = { from: sender, to: [seller], cc: [], bcc: [], length: 1, startMs, draftChance: 0 };
      out.push({ streamKind: STREAM_ACCOUNT_MAIL, streamIndex: account, threadIndex: t, kind: 'automatic', topic, accountIndex: account, messages: buildMessages(rng, ctx, open) });
      continue;
    }

    const internalCc = rng.chance(0.3) ? rng.sample(otherMates, rng.int(1, 2)) : [];
    if (rng.chance(0.1)) internalCc.push(...rng.sample(partnerPeople(ctx, team, -1), 1));
    const contactCc = contacts.slice(1);
    if (kind === 'seller-initiated') {
      const bcc = rng.chance(0.08) ? rng.sample(without(otherMates, ...internalCc), 1) : [];
      open = { from: seller, to: [contacts[0] as Party], cc: distinctParties([...contactCc, ...internalCc]), bcc, length: threadLength(rng), startMs, draftChance: 0.08 };
    } else if (kind === 'account-initiated') {
      open = { from: contacts[0] as Party, to: [seller], cc: distinctParties([...contactCc, ...internalCc]), bcc: [], length: threadLength(rng), startMs, draftChance: 0.05 };
    } else {
      const stranger = domainStranger(rng, rng.pick(domains));
      open = { from: stranger, to: [seller], cc: internalCc, bcc: [], length: rng.int(1, 3), startMs, draftChance: 0 };
    }
    out.push({ streamKind: STREAM_ACCOUNT_MAIL, streamIndex: account, threadIndex: t, kind, topic, accountIndex: account, messages: buildMessages(rng, ctx, open) });
  }
  out.push(...mappedAutomaticNotices(ctx, account, threadCount));
  return out;
}

/**
 * Notices from an account's automatic address that its customer list maps as a contact: an
 * invoice at 00:00 UTC on the 1st of every month and a usage report at 00:00 UTC every Monday,
 * to the account's owner. Machines send on round times, so these sit exactly on the instants
 * where months and weeks begin (and, some days, where the year window begins).
 */
function mappedAutomaticNotices(ctx: ActivityContext, account: number, firstThreadIndex: number): ThreadRecord[] {
  const { dir } = ctx;
  const address = dir.accountAutomaticContact[account];
  if (!address) return [];
  const rng = rngFor(ctx.spec.seed, `account-notices:${account}`);
  const sender: Party = { name: `${dir.accounts[account]?.name ?? 'Account'} Notices`, address, userIndex: -1 };
  const owner = dir.userParties[dir.accountOwner[account] ?? 0] as Party;
  const instants: number[] = [];
  const first = new Date(ctx.spanStartMs);
  for (let m = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1); m < ctx.spanEndMs; ) {
    instants.push(m);
    const d = new Date(m);
    m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  const day = Math.ceil(ctx.spanStartMs / DAY_MS) * DAY_MS;
  for (let monday = day + ((8 - new Date(day).getUTCDay()) % 7) * DAY_MS; monday < ctx.spanEndMs; monday += 7 * DAY_MS) instants.push(monday);
  instants.sort((a, b) => a - b);
  return instants.map((startMs, k) => ({
    streamKind: STREAM_ACCOUNT_MAIL,
    streamIndex: account,
    threadIndex: firstThreadIndex + k,
    kind: 'automatic' as const,
    topic: rng.int(0, 1000),
    accountIndex: account,
    messages: buildMessages(rng, ctx, { from: sender, to: [owner], cc: [], bcc: [], length: 1, startMs, draftChance: 0 }),
  }));
}

/** Pick an account of the team with probability proportional to its engagement. */
function engagedAccountOfTeam(rng: Rng, ctx: ActivityContext, team: number): number {
  const accounts = (ctx.dir.teamAccounts[team] ?? []).filter((a) => (ctx.dir.accountContacts[a]?.length ?? 0) >= 2);
  if (accounts.length === 0) return -1;
  const weights = accounts.map((a) => (ctx.dir.accountWeights[a] ?? 0) + 0.05);
  return accounts[rng.weightedIndex(weights)] as number;
}

/** The team's own mail: internal threads, strangers, third parties, BCC-only, tool notices. */
export function teamThreads(ctx: ActivityContext, team: number): ThreadRecord[] {
  const { dir } = ctx;
  const members = dir.teams[team]?.members ?? [];
  if (members.length === 0) return [];
  const rng = rngFor(ctx.spec.seed, `team-mail:${team}`);
  const volume = members.length * ctx.messagesPerYear * ctx.spanYears;
  const plan: Array<[ThreadKind, number]> = [
    ['internal', rng.poisson((volume * 0.2) / 2.4)],
    ['unknown-external', rng.poisson((volume * 0.07) / 1.4)],
    ['third-party', rng.poisson(volume * 0.04)],
    ['bcc-only', rng.poisson(volume * 0.03)],
    ['tool-notification', rng.poisson(volume * 0.04)],
  ];
  const out: ThreadRecord[] = [];
  let threadIndex = 0;
  for (const [kind, count] of plan) {
    for (let k = 0; k < count; k++) {
      const me = dir.userParties[rng.pick(members)] as Party;
      const mates = teamMates(ctx, team, me.userIndex);
      const startMs = businessMoment(rng, ctx);
      let accountIndex = -1;
      let open: ThreadOpening | null = null;
      if (kind === 'internal') {
        const pool = rng.chance(0.15) ? [...mates, ...partnerPeople(ctx, team, me.userIndex)] : mates;
        if (pool.length === 0) continue;
        const to = rng.sample(pool, rng.int(1, Math.min(3, pool.length)));
        const cc = rng.chance(0.25) ? rng.sample(without(pool, ...to), 1) : [];
        open = { from: me, to, cc, bcc: [], length: rng.int(1, 4), startMs, draftChance: 0.03 };
      } else if (kind === 'unknown-external') {
        const first = rng.pick(GIVEN_NAMES);
        const last = rng.pick(SURNAMES);
        const stranger: Party = { name: `${first} ${last}`, address: `${slugify(first)}${rng.int(1, 99)}@${rng.pick(UNKNOWN_SENDER_DOMAINS)}`, userIndex: -1 };
        open = { from: stranger, to: [me], cc: [], bcc: [], length: rng.chance(0.4) ? 2 : 1, startMs, draftChance: 0 };
      } else if (kind === 'third-party') {
        accountIndex = engagedAccountOfTeam(rng, ctx, team);
        if (accountIndex < 0) continue;
        const sender = rng.pick(THIRD_PARTY_SENDERS);
        const contact = pickContacts(rng, ctx, accountIndex, 1);
        open = { from: { name: sender.name, address: sender.address, userIndex: -1 }, to: [...contact, me], cc: [], bcc: [], length: 1, startMs, draftChance: 0 };
      } else if (kind === 'bcc-only') {
        // A customer writes to a colleague of theirs and BCCs one of us: we are not a participant.
        accountIndex = engagedAccountOfTeam(rng, ctx, team);
        if (accountIndex < 0) continue;
        const pair = pickContacts(rng, ctx, accountIndex, 2);
        if (pair.length < 2) continue;
        open = { from: pair[0] as Party, to: [pair[1] as Party], cc: [], bcc: [me], length: 1, startMs, draftChance: 0 };
      } else {
        const tool = rng.pick(TOOL_NOTIFIERS);
        open = { from: { name: tool.name, address: tool.address, userIndex: -1 }, to: [me], cc: [], bcc: [], length: 1, startMs, draftChance: 0 };
      }
      out.push({ streamKind: STREAM_TEAM_MAIL, streamIndex: team, threadIndex: threadIndex++, kind, topic: rng.int(0, 1000), accountIndex, messages: buildMessages(rng, ctx, open) });
    }
  }
  return out;
}

function meetingStart(rng: Rng, ctx: ActivityContext): number {
  const moment = businessMoment(rng, ctx);
  const day = Math.floor(moment / DAY_MS) * DAY_MS;
  return day + rng.int(8, 16) * HOUR_MS + rng.pick([0, 15, 30, 45]) * MINUTE_MS;
}

function meetingDurationMs(rng: Rng): number {
  return rng.weightedPick([15, 30, 45, 60, 90, 120], [2, 6, 3, 5, 2, 1]) * MINUTE_MS;
}

function response(rng: Rng): AttendeeResponse {
  return rng.weightedPick(['accepted', 'tentativelyAccepted', 'declined', 'none', 'notResponded'] as const, [60, 12, 8, 12, 8]);
}

/** Lays out the occurrences of a meeting item, with moved and cancelled ones. */
function occurrencesFor(rng: Rng, ctx: ActivityContext, firstStartMs: number, durationMs: number, recurrence: MeetingRecord['recurrence'], count: number, createdMs: number): OccurrenceRecord[] {
  const out: OccurrenceRecord[] = [];
  const step = recurrence === 'weekly' ? 7 * DAY_MS : 14 * DAY_MS;
  for (let i = 0; i < count; i++) {
    const originalStartMs = firstStartMs + (recurrence === 'none' ? 0 : i * step);
    if (originalStartMs > ctx.spanEndMs) break;
    let type: OccurrenceRecord['type'] = recurrence === 'none' ? 'singleInstance' : 'occurrence';
    let startMs = originalStartMs;
    if (recurrence !== 'none' && rng.chance(0.05)) {
      type = 'exception';
      startMs = originalStartMs + rng.pick([-1, 1]) * rng.int(1, 48) * HOUR_MS;
      // A meeting cannot be moved to before it existed.
      if (startMs < createdMs + HOUR_MS) startMs = originalStartMs + rng.int(1, 48) * HOUR_MS;
    }
    let cancelledMs: number | null = null;
    if (rng.chance(recurrence === 'none' ? 0.05 : 0.07)) {
      // Cancelled between creation and the start, usually a day or two ahead.
      const ahead = Math.min(startMs - createdMs - MINUTE_MS, rng.logNormal(30 * HOUR_MS, 1));
      cancelledMs = Math.max(createdMs + MINUTE_MS, secondsFloor(startMs - Math.max(MINUTE_MS, ahead)));
    }
    out.push({ ordinal: i, type, startMs, endMs: startMs + durationMs, originalStartMs, cancelledMs });
  }
  return out;
}

function createdBefore(rng: Rng, firstStartMs: number): number {
  const leadDays = Math.min(45, Math.max(0.2, rng.logNormal(6, 0.9)));
  return secondsFloor(firstStartMs - leadDays * DAY_MS);
}

function withResponses(rng: Rng, parties: Party[], type: AttendeeRecord['type']): AttendeeRecord[] {
  return parties.map((party) => ({ party, type, response: type === 'resource' ? 'accepted' : response(rng) }));
}

/** An account's meetings: singles and weekly/biweekly series, organised by either side. */
export function accountMeetings(ctx: ActivityContext, account: number): MeetingRecord[] {
  const { dir } = ctx;
  const weight = dir.accountWeights[account] ?? 0;
  const contactsOf = dir.accountContacts[account] ?? [];
  if (weight <= 0 || dir.accountWeightTotal <= 0 || contactsOf.length === 0) return [];
  const rng = rngFor(ctx.spec.seed, `account-meetings:${account}`);
  const tenantOccurrences = dir.users.length * ctx.meetingsPerYear * ACCOUNT_MEETING_SHARE * ctx.spanYears;
  const items = rng.poisson((tenantOccurrences * weight) / dir.accountWeightTotal / MEAN_OCCURRENCES_PER_ITEM);
  const team = dir.accountTeam[account] ?? 0;
  const owner = dir.accountOwner[account] ?? 0;
  const out: MeetingRecord[] = [];
  for (let m = 0; m < items; m++) {
    const recurrence = rng.chance(0.25) ? (rng.chance(0.6) ? 'weekly' : 'biweekly') : 'none';
    const count = recurrence === 'none' ? 1 : rng.int(4, 16);
    const contacts = pickContacts(rng, ctx, account, rng.int(1, 3));
    const mates = teamMates(ctx, team, owner);
    const internal = [dir.userParties[owner] as Party, ...rng.sample(mates, rng.int(0, 2))];
    // Someone outside the team (possibly outside a later selection) now and then.
    if (rng.chance(0.2)) internal.push(...rng.sample(partnerPeople(ctx, team, owner), 1));
    let others: Party[] = [];
    if (recurrence === 'none' && rng.chance(0.1) && dir.accounts.length > 1) {
      // A joint meeting with a second account.
      const second = (account + 1 + rng.int(0, dir.accounts.length - 2)) % dir.accounts.length;
      others = pickContacts(rng, ctx, second, 1);
    }
    const contactOrganised = rng.chance(0.3);
    const organizer = contactOrganised ? (contacts[0] as Party) : (internal[0] as Party);
    const people = distinctParties([...internal, ...contacts, ...others]).filter((p) => p !== organizer);
    const attendees = withResponses(rng, people, 'required');
    if (rng.chance(0.35)) attendees.push(...withResponses(rng, [rng.pick(dir.rooms)], 'resource'));
    const firstStartMs = meetingStart(rng, ctx);
    const createdMs = createdBefore(rng, firstStartMs);
    const durationMs = meetingDurationMs(rng);
    out.push({
      streamKind: STREAM_ACCOUNT_MEETINGS,
      streamIndex: account,
      meetingIndex: m,
      kind: 'account',
      topic: rng.int(0, 1000),
      accountIndex: account,
      organizer,
      attendees,
      recurrence,
      createdMs,
      isOnline: rng.chance(0.7),
      occurrences: occurrencesFor(rng, ctx, firstStartMs, durationMs, recurrence, count, createdMs),
    });
  }
  return out;
}

/** The team's internal meetings: quarterly runs of a weekly sync plus ad-hoc meetings. */
export function teamMeetings(ctx: ActivityContext, team: number): MeetingRecord[] {
  const { dir } = ctx;
  const members = dir.teams[team]?.members ?? [];
  if (members.length < 2) return [];
  const rng = rngFor(ctx.spec.seed, `team-meetings:${team}`);
  const out: MeetingRecord[] = [];
  const budget = members.length * ctx.meetingsPerYear * (1 - ACCOUNT_MEETING_SHARE) * ctx.spanYears;
  let used = 0;
  let index = 0;
  // The weekly sync, re-created each quarter (13 occurrences) by the team's first member.
  const lead = dir.userParties[members[0] as number] as Party;
  const quarterMs = 91 * DAY_MS;
  for (let q = ctx.spanStartMs + rng.int(0, 6) * DAY_MS; q < ctx.spanEndMs && used < budget * 0.5; q += quarterMs) {
    let day = Math.floor(q / DAY_MS) * DAY_MS;
    while ([0, 6].includes(new Date(day).getUTCDay())) day += DAY_MS; // syncs happen on working days
    const firstStartMs = day + rng.int(8, 15) * HOUR_MS;
    const createdMs = createdBefore(rng, firstStartMs);
    const attendees = withResponses(rng, teamMates(ctx, team, lead.userIndex), 'required');
    const occurrences = occurrencesFor(rng, ctx, firstStartMs, 30 * MINUTE_MS, 'weekly', 13, createdMs);
    used += occurrences.length;
    out.push({ streamKind: STREAM_TEAM_MEETINGS, streamIndex: team, meetingIndex: index++, kind: 'internal', topic: 0, accountIndex: -1, organizer: lead, attendees, recurrence: 'weekly', createdMs, isOnline: true, occurrences });
  }
  const singles = rng.poisson(Math.max(0, budget - used));
  for (let k = 0; k < singles; k++) {
    const organizer = dir.userParties[rng.pick(members)] as Party;
    const pool = rng.chance(0.25) ? [...teamMates(ctx, team, organizer.userIndex), ...partnerPeople(ctx, team, organizer.userIndex)] : teamMates(ctx, team, organizer.userIndex);
    if (pool.length === 0) continue;
    const attendees = withResponses(rng, rng.sample(pool, rng.int(1, Math.min(4, pool.length))), 'required');
    if (rng.chance(0.3)) attendees.push(...withResponses(rng, [rng.pick(dir.rooms)], 'resource'));
    const firstStartMs = meetingStart(rng, ctx);
    const createdMs = createdBefore(rng, firstStartMs);
    out.push({
      streamKind: STREAM_TEAM_MEETINGS,
      streamIndex: team,
      meetingIndex: index++,
      kind: 'internal',
      topic: rng.int(1, 1000),
      accountIndex: -1,
      organizer,
      attendees,
      recurrence: 'none',
      createdMs,
      isOnline: rng.chance(0.6),
      occurrences: occurrencesFor(rng, ctx, firstStartMs, meetingDurationMs(rng), 'none', 1, createdMs),
    });
  }
  return out;
}

/** Every record of one unit, in a fixed order (accounts by index, then the team's own). */
export function generateUnit(ctx: ActivityContext, team: number): UnitActivity {
  const threads: ThreadRecord[] = [];
  const meetings: MeetingRecord[] = [];
  for (const account of ctx.dir.teamAccounts[team] ?? []) {
    threads.push(...accountThreads(ctx, account));
    meetings.push(...accountMeetings(ctx, account));
  }
  threads.push(...teamThreads(ctx, team));
  meetings.push(...teamMeetings(ctx, team));
  return { team, threads, meetings };
}

/** Internal users holding a copy of a meeting (organizer and attendees, never rooms). */
export function meetingHolders(meeting: MeetingRecord): number[] {
  const out: number[] = [];
  if (meeting.organizer.userIndex >= 0) out.push(meeting.organizer.userIndex);
  for (const a of meeting.attendees) {
    if (a.type !== 'resource' && a.party.userIndex >= 0 && !out.includes(a.party.userIndex)) out.push(a.party.userIndex);
  }
  return out;
}
