/**
 * The dry-run estimate, pure: from per-mailbox item counts (read from Graph without reading any
 * message) to the requests a run will make and how long it should take.
 *
 * The model follows how the engine reads a mailbox: messages and calendar page on side by side
 * (two chains, within Outlook's 4 concurrent requests per mailbox), 1,000 items a page, the
 * first page of each in one `$batch`; a weekly refresh reads the week's new messages and one
 * round of calendar changes. Per mailbox, Graph allows 10,000 requests per 10 minutes, which no
 * mailbox reaches at this page size, but the model still caps a mailbox at that rate. Mailboxes
 * are read `concurrency` at a time (the workers' configured mailbox concurrency), longest first.
 */

export const PAGE_SIZE = 1000;
/** Outlook's per-mailbox budget: 10,000 requests per 10 minutes (Graph throttling limits). */
export const MAILBOX_REQUESTS_PER_SECOND = 10_000 / 600;

export interface MailboxCounts {
  /** Messages received in the window (what a full run pages through). */
  messages: number;
  /** Calendar items in the window and the horizon ahead (what a full run's calendar sync reads). */
  events: number;
  /** Messages received in the last 7 days (what a weekly refresh reads). */
  weekMessages: number;
}

export interface EstimateModel {
  /** Seconds of one request's round trip, whatever its size (Graph's answer time). */
  requestSeconds: number;
  /** Seconds per item on a page (Graph's serialisation, the transfer and the engine's work on it). */
  itemSeconds: number;
  /** Mailboxes read at once across the workers. */
  concurrency: number;
}

export interface RunEstimate {
  mailboxes: number;
  messages: number;
  events: number;
  weekMessages: number;
  requestsFull: number;
  requestsRefresh: number;
  firstRunSeconds: number;
  refreshSeconds: number;
}

const pages = (items: number) => Math.max(1, Math.ceil(items / PAGE_SIZE));

/** One mailbox's read: its requests and the time of its longer chain (or its request budget, if longer). */
function mailboxRead(messages: number, calendarItems: number, model: EstimateModel): { requests: number; seconds: number } {
  const chain = (items: number) => pages(items) * model.requestSeconds + items * model.itemSeconds;
  const requests = pages(messages) + pages(calendarItems);
  return { requests, seconds: Math.max(chain(messages), chain(calendarItems), requests / MAILBOX_REQUESTS_PER_SECOND) };
}

/** Wall time of jobs run `concurrency` at a time, longest first, each on the first free slot. */
export function scheduledSeconds(durations: readonly number[], concurrency: number): number {
  const slots = new Array<number>(Math.max(1, Math.floor(concurrency))).fill(0);
  for (const d of [...durations].sort((a, b) => b - a)) {
    let free = 0;
    for (let i = 1; i < slots.length; i++) if (slots[i]! < slots[free]!) free = i;
    slots[free]! += d;
  }
  return Math.max(...slots);
}

export function estimateRun(counts: readonly MailboxCounts[], model: EstimateModel): RunEstimate {
  const out: RunEstimate = { mailboxes: counts.length, messages: 0, events: 0, weekMessages: 0, requestsFull: 0, requestsRefresh: 0, firstRunSeconds: 0, refreshSeconds: 0 };
  const full: number[] = [];
  const refresh: number[] = [];
  for (const c of counts) {
    out.messages += c.messages;
    out.events += c.events;
    out.weekMessages += c.weekMessages;
    const f = mailboxRead(c.messages, c.events, model);
    // A refresh: the week's messages and one round of calendar changes (about a week's share of the items).
    const r = mailboxRead(c.weekMessages, Math.ceil((c.events * 7) / 730), model);
    out.requestsFull += f.requests;
    out.requestsRefresh += r.requests;
    full.push(f.seconds);
    refresh.push(r.seconds);
  }
  out.firstRunSeconds = scheduledSeconds(full, model.concurrency);
  out.refreshSeconds = scheduledSeconds(refresh, model.concurrency);
  return out;
}

/** Whether an actual figure is within `tolerance` (0.1 = 10 %) of its estimate. */
export function withinShare(estimate: number, actual: number, tolerance: number): boolean {
  if (estimate === actual) return true;
  return Math.abs(actual - estimate) <= tolerance * Math.max(Math.abs(estimate), Math.abs(actual));
}
