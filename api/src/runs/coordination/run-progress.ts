import type { CalendarFullRead } from '../output/run-output.store';

/**
 * A run's live progress, as each worker process knows it: which mailboxes it is reading (with
 * their figures so far) and which it finished (done or failed, with the finished items' sums).
 * Each process writes what it knows as one small document (`<runId>:<worker>:<instance>`) about
 * once a second, and a reader of the run sums the run's few documents, instead of every mailbox
 * writing its work item every second and every poll reading all of a run's work items (both cost
 * FerretDB a decode of the whole collection per call).
 *
 * Everything here is pure: the tracker is plain data changed by plain functions, and the
 * documents are merged into the counters the run view shows.
 */

/** A run's live counters and per-mailbox errors (from its work items, or its processes' progress). */
export interface ItemStats {
  done: number;
  failed: number;
  fullRead: number;
  /** Mailboxes whose calendar a refresh read in full (calendar delta resets included). */
  calendarFullRead: number;
  messagesRead: number;
  eventsRead: number;
  errors: Array<{ userId: string; reason: string; at: Date }>;
}

/** A mailbox being read: its figures so far (set, not added: a new attempt starts again from 0). */
export interface ReadingEntry {
  index: number;
  messagesRead: number;
  eventsRead: number;
}

/** A failed mailbox's error, as the run view lists it. */
export interface ProgressError {
  index: number;
  userId: string;
  reason: string;
  at: Date;
}

/** What one worker process knows of one run (in memory; the flusher writes it as a document). */
export interface RunProgressState {
  reading: Map<number, { messagesRead: number; eventsRead: number }>;
  done: Set<number>;
  failed: Set<number>;
  /** Done mailboxes read in full (no base run state), and whose calendar a refresh read in full. */
  fullRead: Set<number>;
  calendarFullRead: Set<number>;
  /** Sums over this process's done mailboxes (a failed mailbox counts nothing). */
  messagesRead: number;
  eventsRead: number;
  errors: Map<number, ProgressError>;
}

/** A finished work item, as the process writes it (the fields the run's counters need). */
export interface FinishedReport {
  index: number;
  userId: string;
  state: 'done' | 'failed';
  messagesRead: number;
  eventsRead: number;
  fullRead: boolean;
  calendarFullRead?: CalendarFullRead | null;
  reason: string | null;
}

export function emptyProgress(): RunProgressState {
  return { reading: new Map(), done: new Set(), failed: new Set(), fullRead: new Set(), calendarFullRead: new Set(), messagesRead: 0, eventsRead: 0, errors: new Map() };
}

/** A mailbox's read figures so far; ignored once this process finished that mailbox. */
export function reportReading(p: RunProgressState, index: number, messagesRead: number, eventsRead: number): void {
  if (p.done.has(index) || p.failed.has(index)) return;
  p.reading.set(index, { messagesRead, eventsRead });
}

/** A mailbox finished (done or failed): it leaves the reading entries; written once, counted once. */
export function reportFinished(p: RunProgressState, item: FinishedReport, at: Date): void {
  p.reading.delete(item.index);
  if (p.done.has(item.index) || p.failed.has(item.index)) return;
  if (item.state === 'done') {
    p.done.add(item.index);
    p.messagesRead += item.messagesRead;
    p.eventsRead += item.eventsRead;
    if (item.fullRead) p.fullRead.add(item.index);
    if (item.calendarFullRead) p.calendarFullRead.add(item.index);
  } else {
    p.failed.add(item.index);
    p.errors.set(item.index, { index: item.index, userId: item.userId, reason: item.reason ?? 'failed', at });
  }
}

// ---- the document ------------------------------------------------------------------------------

/** One worker process's progress on one run (engine_run_progress). */
export interface RunProgressDocument {
  /** `<runId>:<worker>:<instance>`: the instance tells apart a restarted process with the same host and pid. */
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  /** The worker process (host:pid), as work items name it. */
  worker: string;
  reading: ReadingEntry[];
  /** Sets of mailbox indexes as bitsets (base64): 2,500 mailboxes take 313 bytes each. */
  done: string;
  failed: string;
  fullRead: string;
  calendarFullRead: string;
  messagesRead: number;
  eventsRead: number;
  errors: ProgressError[];
  updatedAt: Date;
}

export function progressDocument(key: { id: string; tenantId: string; enrichmentId: string; runId: string; worker: string }, p: RunProgressState, at: Date): RunProgressDocument {
  return {
    _id: key.id,
    tenantId: key.tenantId,
    enrichmentId: key.enrichmentId,
    runId: key.runId,
    worker: key.worker,
    reading: [...p.reading].map(([index, f]) => ({ index, ...f })).sort((a, b) => a.index - b.index),
    done: packIndexes(p.done),
    failed: packIndexes(p.failed),
    fullRead: packIndexes(p.fullRead),
    calendarFullRead: packIndexes(p.calendarFullRead),
    messagesRead: p.messagesRead,
    eventsRead: p.eventsRead,
    errors: [...p.errors.values()].sort((a, b) => a.index - b.index),
    updatedAt: at,
  };
}

/** A set of mailbox indexes as a bitset (bit i of byte i >> 3), in base64. */
export function packIndexes(indexes: Iterable<number>): string {
  const list = [...indexes];
  if (list.length === 0) return '';
  const bytes = Buffer.alloc((Math.max(...list) >> 3) + 1);
  for (const i of list) bytes[i >> 3]! |= 1 << (i & 7);
  return bytes.toString('base64');
}

export function unpackIndexes(packed: string): Set<number> {
  const out = new Set<number>();
  const bytes = Buffer.from(packed, 'base64');
  for (let b = 0; b < bytes.length; b++) {
    const byte = bytes[b]!;
    if (byte === 0) continue;
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) out.add(b * 8 + bit);
  }
  return out;
}

// ---- merging a run's documents -----------------------------------------------------------------

/**
 * A run's live counters and errors from its processes' progress documents. A mailbox is counted
 * once however many documents list it finished (done wins over failed: a done mailbox has its
 * state and partials written); a reading entry of a mailbox some document lists finished is
 * ignored (a process died while reading it and another one finished it); a mailbox being read by
 * two processes (one died, its document stays) counts the larger figures.
 *
 * Messages and events of finished mailboxes are each document's sums: a mailbox two processes
 * both wrote done (one of them had lost its lease while writing) counts its figures twice until
 * the run ends, when the counters are summed from the work items.
 */
export function mergeRunProgress(docs: RunProgressDocument[]): ItemStats {
  const done = new Set<number>();
  const failed = new Set<number>();
  const fullRead = new Set<number>();
  const calendarFullRead = new Set<number>();
  let messagesRead = 0;
  let eventsRead = 0;
  for (const d of docs) {
    for (const i of unpackIndexes(d.done)) done.add(i);
    for (const i of unpackIndexes(d.failed)) failed.add(i);
    for (const i of unpackIndexes(d.fullRead)) fullRead.add(i);
    for (const i of unpackIndexes(d.calendarFullRead)) calendarFullRead.add(i);
    messagesRead += d.messagesRead;
    eventsRead += d.eventsRead;
  }
  for (const i of done) failed.delete(i);
  const reading = new Map<number, { messagesRead: number; eventsRead: number }>();
  for (const d of docs) {
    for (const r of d.reading) {
      if (done.has(r.index) || failed.has(r.index)) continue;
      const seen = reading.get(r.index);
      reading.set(r.index, { messagesRead: Math.max(seen?.messagesRead ?? 0, r.messagesRead), eventsRead: Math.max(seen?.eventsRead ?? 0, r.eventsRead) });
    }
  }
  for (const r of reading.values()) {
    messagesRead += r.messagesRead;
    eventsRead += r.eventsRead;
  }
  const errors = new Map<number, ProgressError>();
  for (const d of docs) {
    for (const e of d.errors) {
      const seen = errors.get(e.index);
      if (failed.has(e.index) && (!seen || seen.at < e.at)) errors.set(e.index, e);
    }
  }
  return {
    done: done.size,
    failed: failed.size,
    fullRead: [...fullRead].filter((i) => done.has(i)).length,
    calendarFullRead: [...calendarFullRead].filter((i) => done.has(i)).length,
    messagesRead,
    eventsRead,
    errors: [...errors.values()].sort((a, b) => a.index - b.index).map(({ userId, reason, at }) => ({ userId, reason, at })),
  };
}
