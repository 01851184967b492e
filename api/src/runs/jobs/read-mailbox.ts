import type { ProgressReader } from '../coordination/run-progress-flusher';
import type { Touch, Lease } from '../coordination/work-leases';
import { LeaseLost } from '../coordination/work-leases';
import { classifyGraphError, graphErrorFacts } from '../../platform/graph/classify-graph-error';
import { mailboxPartials } from '../domain/account-partials';
import { DAY_MS, WINDOW_MS, type AccountBuckets } from '../domain/engagement-buckets';
import { applyCalendarChanges, applyMessages, collectMessages, meetingBuckets, packLedger, packTails, pruneLedger, pruneToWindow, unpackLedger, isCurrentLedger, isCurrentTails, unpackTails, type ConversationTails, type MailboxScope, type MeetingLedger, type MessageCollector, type MessageMeta } from '../domain/mailbox-contribution';
import { calendarDeltaQuery, calendarSyncQuery, isSyncStateLost, messagesQuery, readCalendarChanges, readFirstPages, readMessages, type CalendarRound, type PageQuery, type ReadPage, type ReadStats } from '../graph/graph-mailbox.reader';
import type { RunDocument } from '../lifecycle/runs.store';
import { compressPartial, decodePartial, packPartials, partialBytes, unpackPartials } from '../output/partials-codec';
import { joinShardBlobs, type ShardedPartials } from '../output/partials-by-shard';
import { EngineResultsStore, type CalendarFullRead, type ContributionDocument, type MailboxStateDocument, type MailboxStatePayload } from '../output/run-output.store';
import { addDomainEmails, addDomainMeetings, packDomainActivity, pruneDomainActivity, unpackDomainActivity } from '../domain/unmatched-domains';
import type { RunContext } from './run-context';
import type { RunJobContext } from './run-jobs';

/**
 * Reading one mailbox for a run: messages since the base run (or the whole window) and the
 * calendar's changes since the base run's sync (or a new sync), taken in page by page, then the
 * mailbox's state (the next refresh's base) and its partials per shard, ready to be written.
 */

/** The run was cancelled (or failed) while the mailbox was read: what it wrote is taken back. */
export class RunCancelled extends Error {}

export interface MailboxRead {
  run: RunDocument;
  /** The mailbox's index in the run's selected mailboxes. */
  self: number;
  userId: string;
  context: RunContext;
  prior: PriorState | null;
  shards: number;
  touch: Touch;
  lease: Lease;
}

export interface MailboxOutcome {
  state: MailboxStateDocument;
  /** Its partials for every shard it touched, and its unmatched-domain activity. */
  partials: ContributionDocument;
  /** The same partials' shard blobs before compression (for this process's own copy). */
  shardBlobs: ShardedPartials & { data: Buffer };
  calendarFullRead: CalendarFullRead | null;
  /** How the read went (requests, retries, throttled pages): the mailbox health figures. */
  stats: ReadStats;
}

export async function readMailbox(ctx: RunJobContext, m: MailboxRead): Promise<MailboxOutcome> {
  // The process's progress on the run knows this mailbox is being read until its outcome is written.
  const reader = ctx.progress.startReading(m.run, m.self);
  try {
    return await readPages(ctx, m, reader);
  } finally {
    reader.end();
  }
}

async function readPages(ctx: RunJobContext, m: MailboxRead, reader: ProgressReader): Promise<MailboxOutcome> {
  const { run, self, userId, prior, touch, lease } = m;
  const asOf = run.asOf.getTime();
  const windowStart = asOf - WINDOW_MS;
  const scope: MailboxScope = { self, book: m.context.book, asOf, windowStart, halfLifeDays: m.context.halfLifeDays, domains: m.context.domains };
  const client = ctx.graph.forApp(run.tenantId);
  const stats: ReadStats = { requests: 0, retries: 0, parseMs: 0 };
  let waitMs = 0;
  const since = prior ? prior.asOf.getTime() : windowStart;

  let messagesRead = 0;
  let eventsRead = 0;
  let lastFlush = Date.now();
  let flushing = false;
  const progress = async (force = false) => {
    if (lease.lost) throw new LeaseLost();
    // The two readers share this; one write at a time (the other reader just goes on).
    if (flushing || (!force && Date.now() - lastFlush < ctx.options.progressEveryMs)) return;
    flushing = true;
    lastFlush = Date.now();
    try {
      await flushProgress(reader, messagesRead, eventsRead, touch);
    } finally {
      flushing = false;
      ctx.observer.add('writeMs', Date.now() - lastFlush);
    }
  };
  // The job's lock is touched, and a cancel this process already knows of stops the read, before any page.
  await progress(true);

  // The calendar: a refresh follows the base run's delta link and applies the changes to its
  // meeting ledger; a full run, a mailbox without that state, and a sync Graph no longer
  // knows (410) start a new sync over the window and the horizon ahead of it.
  let calendar = calendarPlan(userId, asOf, windowStart, prior);
  const resetCalendar = (reason: CalendarFullRead) => {
    ctx.logger.warn({ runId: run._id, index: self, reason }, 'calendar delta reset: reading the mailbox calendar in full');
    calendar = { ...calendarPlan(userId, asOf, windowStart, null), fullRead: reason };
  };
  if (calendar.fullRead) ctx.logger.info({ runId: run._id, index: self, reason: calendar.fullRead }, 'calendar read in full');

  // Both first pages in one $batch round trip, then messages and calendar page on in parallel:
  // two requests in flight per mailbox, within Graph's 4.
  const messageQuery = messagesQuery(userId, new Date(since), new Date(asOf));
  // A retry of failed mailboxes (mailbox-health) carries a mailbox its base run read at this very as-of: nothing to read.
  const carriedAsIs = prior !== null && prior.asOf.getTime() === asOf && calendar.carried && prior.payload.calendar !== undefined;
  const batchFrom = performance.now();
  const firstPages = carriedAsIs
    ? { messages: { items: [] }, calendar: { items: [], deltaLink: prior.payload.calendar!.deltaLink } }
    : await readFirstPages(client, { messages: messageQuery, calendar: calendar.query }, stats, ctx.options.retry);
  waitMs += performance.now() - batchFrom;
  // Handed to the readers and forgotten here, so that each page is garbage once taken in.
  let firstMessagePage: ReadPage<MessageMeta> | undefined = firstPages.messages;
  let firstCalendarPage = firstPages.calendar ?? undefined;
  if (firstPages.calendar === null) resetCalendar('sync-state-lost');
  // Pages are taken in as they arrive (messages kept compact, calendar changes applied to the
  // ledger), so a page's Graph objects die young: cheap for the garbage collector.
  pruneLedger(calendar.ledger, windowStart);
  let takeMs = 0;
  const [collected, deltaLink] = await Promise.all([
    (async () => {
      let out: MessageCollector | null = null;
      let waitFrom = performance.now();
      const reader = readMessages(client, userId, new Date(since), new Date(asOf), stats, ctx.options.retry, firstMessagePage);
      firstMessagePage = undefined;
      for await (const page of reader) {
        const from = performance.now();
        waitMs += from - waitFrom;
        out = collectMessages(out, page, scope);
        takeMs += performance.now() - from;
        messagesRead += page.length;
        await progress();
        waitFrom = performance.now();
      }
      return out ?? collectMessages(null, [], scope);
    })(),
    (async () => {
      for (;;) {
        const round: CalendarRound = { deltaLink: null };
        let waitFrom = performance.now();
        try {
          const reader = readCalendarChanges(client, calendar.query, round, stats, ctx.options.retry, firstCalendarPage);
          firstCalendarPage = undefined;
          for await (const page of reader) {
            const from = performance.now();
            waitMs += from - waitFrom;
            applyCalendarChanges(calendar.ledger, page, scope);
            takeMs += performance.now() - from;
            eventsRead += page.length;
            await progress();
            waitFrom = performance.now();
          }
        } catch (e) {
          // A sync state lost while paging through a round: start over, once, from nothing.
          if (!isSyncStateLost(e) || !calendar.carried) throw e;
          resetCalendar('sync-state-lost');
          firstCalendarPage = undefined;
          continue;
        }
        if (!round.deltaLink) throw new Error('The calendar sync round ended without a delta link.');
        return round.deltaLink;
      }
    })(),
  ]);
  await progress(true);
  // The reader's projection runs inside the awaited page; count it as parsing, not I/O, like
  // taking each page in.
  ctx.observer.add('parseMs', (stats.parseMs ?? 0) + takeMs);
  ctx.observer.add('graphMs', waitMs - (stats.parseMs ?? 0));
  ctx.observer.add('requests', stats.requests);
  const aggregateFrom = performance.now();
  const built = buildOutcome(m, scope, collected, calendar, deltaLink);
  ctx.observer.add('aggregateMs', performance.now() - aggregateFrom);
  const encodeFrom = performance.now();
  // One after another: the process's other mailboxes keep the pool's threads busy meanwhile.
  const data = await compressPartial(built.stateBytes);
  const shardBlobs = await compressPartial(built.shardBlobs.data);
  const unmatched = await compressPartial(built.unmatchedBytes);
  const state: MailboxStateDocument = {
    _id: EngineResultsStore.stateId(run._id, userId),
    tenantId: run.tenantId,
    enrichmentId: run.enrichmentId,
    runId: run._id,
    userId,
    asOf: run.asOf,
    data,
    messagesRead: built.messagesRead,
    eventsRead,
    emailsCounted: built.emailsCounted,
    meetingsCounted: built.meetingsCounted,
    fullRead: prior === null,
  };
  // Written for every mailbox read, even one that touched no account: its unmatched domains count.
  const partials: ContributionDocument = {
    _id: EngineResultsStore.contributionId(run._id, self),
    tenantId: run.tenantId,
    enrichmentId: run.enrichmentId,
    runId: run._id,
    index: self,
    shards: built.shardBlobs.shards,
    lengths: built.shardBlobs.lengths,
    data: shardBlobs,
    compressed: 'whole',
    unmatched,
  };
  // Compression is part of writing the partials.
  ctx.observer.add('writeMs', performance.now() - encodeFrom);
  return { state, partials, shardBlobs: built.shardBlobs, calendarFullRead: calendar.fullRead, stats };
}

/** A mailbox's outcome as bytes, ready to compress, and its figures. */
interface BuiltOutcome {
  stateBytes: Buffer;
  /** The mailbox's partials per shard, side by side, to compress as one. */
  shardBlobs: ShardedPartials & { data: Buffer };
  unmatchedBytes: Buffer;
  messagesRead: number;
  emailsCounted: number;
  meetingsCounted: number;
}

/**
 * The mailbox's buckets (carried ones and what was read), its next state and its partials, all
 * the way to bytes, in one synchronous step: the buckets, maps and packed columns are
 * garbage before the compressions are awaited. Kept alive across those waits, a mailbox's
 * freshly built structures outlived young-generation collections and were copied on and
 * promoted, 16 mailboxes at a time (issue 13, `--trace-gc-nvp`).
 */
function buildOutcome(m: MailboxRead, scope: MailboxScope, collected: MessageCollector, calendar: CalendarPlan, deltaLink: string): BuiltOutcome {
  const { prior, shards } = m;
  const buckets: AccountBuckets = new Map();
  let tails: ConversationTails = new Map();
  if (prior) {
    for (const { accountId, buckets: list } of unpackPartials(prior.payload.emailColumns)) buckets.set(accountId, new Map(list.map((b) => [b.h, b])));
    tails = unpackTails(prior.payload.tails);
    pruneToWindow(buckets, tails, scope.windowStart);
  }
  const step = applyMessages(collected, scope, buckets, tails);
  const domainEmails = addDomainEmails(collected, scope, m.context.domains, pruneDomainActivity(unpackDomainActivity(prior?.payload.unmatched), scope.windowStart));
  const ledger = calendar.ledger;
  const meetings = meetingBuckets(ledger, scope);

  const payload: MailboxStatePayload = {
    emailColumns: packPartials([...step.buckets].map(([accountId, byHour]) => ({ accountId, buckets: [...byHour.values()] }))),
    tails: packTails(step.tails),
    calendar: { deltaLink, windowStart: calendar.window.start, windowEnd: calendar.window.end, ledger: packLedger(ledger) },
    unmatched: packDomainActivity(domainEmails),
  };
  const stateBytes = partialBytes(payload);
  // The run's unmatched-domain figures take this mailbox's activity in the window: emails (as
  // carried) and meetings from the ledger, added once the state (which keeps the emails only) is
  // bytes.
  const unmatchedBytes = partialBytes(packDomainActivity(addDomainMeetings(ledger, scope, domainEmails)));
  const shardBytes: Array<[number, Buffer]> = [];
  for (const [shard, partials] of mailboxPartials([step.buckets, meetings.buckets], shards)) shardBytes.push([shard, partialBytes(packPartials(partials))]);
  return { stateBytes, shardBlobs: joinShardBlobs(shardBytes), unmatchedBytes, messagesRead: step.messagesRead, emailsCounted: step.emailsCounted, meetingsCounted: meetings.meetingsCounted };
}

/**
 * How this run reads a mailbox's calendar: the base run's sync, carried on (its delta link and
 * meeting ledger), or a new sync over [window start, asOf + horizon). A refresh reads in full,
 * and says why, when the base run left no calendar state or its window ends before this as-of.
 */
function calendarPlan(userId: string, asOf: number, windowStart: number, prior: PriorState | null): CalendarPlan {
  const carried = prior?.payload.calendar;
  if (carried && asOf < carried.windowEnd) {
    return { query: calendarDeltaQuery(carried.deltaLink), ledger: unpackLedger(carried.ledger), window: { start: carried.windowStart, end: carried.windowEnd }, carried: true, fullRead: null };
  }
  const window = { start: windowStart, end: asOf + CALENDAR_HORIZON_MS };
  const fullRead: CalendarFullRead | null = !prior ? null : carried ? 'window-renewed' : 'no-state';
  return { query: calendarSyncQuery(userId, new Date(window.start), new Date(window.end)), ledger: new Map(), window, carried: false, fullRead };
}


/** The base run's state of a mailbox, decoded; null (read the whole window) when there is none. */
export async function loadPrior(ctx: RunJobContext, tenantId: string, baseRunId: string, userId: string): Promise<PriorState | null> {
  const doc = await ctx.output.getState(tenantId, baseRunId, userId);
  // A state written before states were compressed has no `data`: read that mailbox in full.
  if (!doc?.data) return null;
  const payload = await decodePartial<MailboxStatePayload>(doc.data);
  // A state from before unmatched domains were counted, before buckets were kept as columns, or
  // before conversation and calendar keys were numbers: read the mailbox in full once (the
  // fingerprint's state format makes such a run full anyway).
  if (!payload.unmatched || !payload.emailColumns || !isCurrentTails(payload.tails) || (payload.calendar && !isCurrentLedger(payload.calendar.ledger))) return null;
  return { asOf: doc.asOf, payload };
}

/**
 * The mailbox's figures so far go to its process's progress on the run (in memory: the process
 * writes them once a second for all its mailboxes, and reads the run's claim in the same beat).
 */
async function flushProgress(reader: ProgressReader, messagesRead: number, eventsRead: number, touch: Touch): Promise<void> {
  reader.report(messagesRead, eventsRead);
  await touch();
  if (reader.cancelled) throw new RunCancelled();
}

export interface PriorState {
  asOf: Date;
  payload: MailboxStatePayload;
}

/**
 * How far ahead of its as-of a run's calendar sync reaches. Meetings are counted by start, so
 * the sync must already hold the meetings a later refresh will count: a refresh can carry the
 * sync on until its as-of passes the sync's window end, then the mailbox's calendar is read
 * again in full (once a year for a weekly schedule).
 */
export const CALENDAR_HORIZON_MS = 365 * DAY_MS;

interface CalendarPlan {
  query: PageQuery;
  ledger: MeetingLedger;
  window: { start: number; end: number };
  /** The base run's sync carried on (a lost sync state then means: start a new one). */
  carried: boolean;
  /** Why a refresh reads this calendar in full (null: it carries the sync on, or a full run). */
  fullRead: CalendarFullRead | null;
}

/** A reason to show per mailbox: the kind and status of the failure, never an address. */
export function mailboxFailureReason(e: unknown): string {
  const facts = graphErrorFacts(e);
  const kind = classifyGraphError(facts);
  const text: Record<string, string> = {
    throttled: 'Microsoft Graph kept throttling this mailbox',
    transient: 'Microsoft Graph kept failing or dropping the connection',
    'not-found': 'The mailbox was not found (deleted, or no Exchange Online mailbox)',
    forbidden: 'Access to the mailbox was refused (application access policy or missing permission)',
    'consent-required': 'The app has no admin consent in the organisation',
    auth: 'The app could not authenticate to Microsoft Graph',
    'cursor-expired': 'The change cursor expired',
    'bad-request': 'Microsoft Graph refused the request as invalid',
    unknown: 'Reading the mailbox failed',
  };
  return `${text[kind] ?? 'Reading the mailbox failed'}${facts.status ? ` (HTTP ${facts.status})` : facts.networkCode ? ` (${facts.networkCode})` : ''}.`;
}
