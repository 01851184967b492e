import { describe, expect, it } from 'vitest';
import { itemStatsOf, type WorkItemDocument } from '../../../api/src/runs/coordination/coordination.store';
import { emptyProgress, mergeRunProgress, packIndexes, progressDocument, reportFinished, reportReading, unpackIndexes, type FinishedReport, type RunProgressDocument, type RunProgressState } from '../../../api/src/runs/coordination/run-progress';

const AT = new Date('2026-11-30T10:00:00Z');
const LATER = new Date('2026-11-30T10:05:00Z');

/** A finished mailbox's outcome as a work item carries it. */
function outcome(index: number, fill: Partial<FinishedReport> = {}): FinishedReport {
  return { index, userId: `user-${index}`, state: 'done', messagesRead: 100 + index, eventsRead: 10 + index, fullRead: false, calendarFullRead: null, reason: null, ...fill };
}

const failure = (index: number, reason = 'The mailbox was not found (deleted, or no Exchange Online mailbox) (HTTP 404).') => outcome(index, { state: 'failed', messagesRead: 0, eventsRead: 0, reason });

/** One worker process's document after the given reports. */
function processDoc(worker: string, build: (p: RunProgressState) => void, at = AT): RunProgressDocument {
  const p = emptyProgress();
  build(p);
  return progressDocument({ id: `run-1:${worker}:a1`, tenantId: 't1', enrichmentId: 'e1', runId: 'run-1', worker }, p, at);
}

describe('run progress: mailbox index sets', () => {
  it('when a set of indexes is packed and unpacked, then the same indexes come back, the empty set included', () => {
    for (const set of [[], [0], [7, 8], [0, 1, 2, 3, 4, 5, 6, 7], [5, 63, 64, 1000, 2499]]) {
      expect([...unpackIndexes(packIndexes(set))].sort((a, b) => a - b)).toEqual(set);
    }
  });

  it('when all of 2,500 mailboxes are finished, then their bitset takes 313 bytes', () => {
    const packed = packIndexes(Array.from({ length: 2500 }, (_, i) => i));
    expect(Buffer.from(packed, 'base64').length).toBe(313);
    expect(unpackIndexes(packed).size).toBe(2500);
  });
});

describe('run progress: one process', () => {
  it('when a mailbox is read and then done, then its document lists it done with its figures and no reading entry', () => {
    const doc = processDoc('h:1', (p) => {
      reportReading(p, 3, 40, 5);
      reportFinished(p, outcome(3, { fullRead: true }), AT);
    });
    expect(doc.reading).toEqual([]);
    expect([...unpackIndexes(doc.done)]).toEqual([3]);
    expect([...unpackIndexes(doc.fullRead)]).toEqual([3]);
    expect({ messagesRead: doc.messagesRead, eventsRead: doc.eventsRead }).toEqual({ messagesRead: 103, eventsRead: 13 });
  });

  it('when a mailbox is reported reading after it was finished, then the late report is ignored', () => {
    const doc = processDoc('h:1', (p) => {
      reportFinished(p, outcome(2), AT);
      reportReading(p, 2, 999, 999);
    });
    expect(doc.reading).toEqual([]);
    expect(mergeRunProgress([doc])).toMatchObject({ done: 1, messagesRead: 102, eventsRead: 12 });
  });

  it('when the same mailbox outcome is reported twice, then it is counted once', () => {
    const doc = processDoc('h:1', (p) => {
      reportFinished(p, outcome(4), AT);
      reportFinished(p, outcome(4), LATER);
    });
    expect(mergeRunProgress([doc])).toMatchObject({ done: 1, messagesRead: 104, eventsRead: 14 });
  });

  it('when every mailbox outcome and read of a run is reported, then the merged counters equal those summed from the work items', () => {
    const items: WorkItemDocument[] = [];
    const doc = processDoc('h:1', (p) => {
      for (let i = 0; i < 20; i++) {
        const item = i % 7 === 3 ? failure(i) : i % 5 === 4 ? { ...outcome(i), state: 'reading' as const } : outcome(i, { fullRead: i % 2 === 0, calendarFullRead: i % 3 === 0 ? 'window-renewed' : null });
        items.push({ _id: `run-1:${i}`, tenantId: 't1', enrichmentId: 'e1', runId: 'run-1', ...item, calendarFullRead: item.calendarFullRead as WorkItemDocument['calendarFullRead'], updatedAt: AT });
        if (item.state === 'reading') reportReading(p, i, item.messagesRead, item.eventsRead);
        else reportFinished(p, item, AT);
      }
    });
    expect(mergeRunProgress([doc])).toEqual(itemStatsOf(items));
  });
});

describe('run progress: merging the documents of several processes', () => {
  it('when no process has written progress yet, then nothing is counted', () => {
    expect(mergeRunProgress([])).toEqual({ done: 0, failed: 0, fullRead: 0, calendarFullRead: 0, messagesRead: 0, eventsRead: 0, errors: [] });
  });

  it('when two processes finished different mailboxes, then their counts and figures add up', () => {
    const a = processDoc('h:1', (p) => [0, 1].forEach((i) => reportFinished(p, outcome(i, { fullRead: true }), AT)));
    const b = processDoc('h:2', (p) => {
      reportFinished(p, outcome(2, { calendarFullRead: 'no-state' }), AT);
      reportFinished(p, failure(3), AT);
      reportReading(p, 4, 7, 1);
    });
    expect(mergeRunProgress([a, b])).toEqual({
      done: 3,
      failed: 1,
      fullRead: 2,
      calendarFullRead: 1,
      messagesRead: 100 + 101 + 102 + 7,
      eventsRead: 10 + 11 + 12 + 1,
      errors: [{ userId: 'user-3', reason: failure(3).reason, at: AT }],
    });
  });

  it('when a mailbox is listed done by two documents, then it is counted done once (and read in full once)', () => {
    const a = processDoc('h:1', (p) => reportFinished(p, outcome(5, { fullRead: true }), AT));
    const b = processDoc('h:2', (p) => reportFinished(p, outcome(5, { fullRead: true }), AT));
    expect(mergeRunProgress([a, b])).toMatchObject({ done: 1, failed: 0, fullRead: 1 });
  });

  it('when a mailbox is failed in one document and done in another, then it counts as done only and lists no error', () => {
    const a = processDoc('h:1', (p) => reportFinished(p, failure(6), AT));
    const b = processDoc('h:2', (p) => reportFinished(p, outcome(6), AT));
    expect(mergeRunProgress([a, b])).toMatchObject({ done: 1, failed: 0, errors: [] });
  });

  it('when a mailbox is failed in two documents, then it is counted once with the latest error', () => {
    const a = processDoc('h:1', (p) => reportFinished(p, failure(1, 'first'), AT));
    const b = processDoc('h:2', (p) => reportFinished(p, failure(1, 'second'), LATER));
    expect(mergeRunProgress([b, a])).toMatchObject({ failed: 1, errors: [{ userId: 'user-1', reason: 'second', at: LATER }] });
  });

  it('when a process died reading a mailbox that another process then finished, then the dead reader\'s figures are ignored', () => {
    const dead = processDoc('h:1', (p) => reportReading(p, 8, 5000, 500));
    const alive = processDoc('h:2', (p) => reportFinished(p, outcome(8), AT));
    expect(mergeRunProgress([dead, alive])).toMatchObject({ done: 1, messagesRead: 108, eventsRead: 18 });
  });

  it('when two processes are reading the same mailbox (one of them died), then the larger figures count', () => {
    const dead = processDoc('h:1', (p) => reportReading(p, 9, 300, 2));
    const alive = processDoc('h:2', (p) => reportReading(p, 9, 120, 40));
    expect(mergeRunProgress([dead, alive])).toMatchObject({ done: 0, messagesRead: 300, eventsRead: 40 });
  });

  it('when several mailboxes failed across processes, then the errors are listed by mailbox index', () => {
    const a = processDoc('h:1', (p) => [7, 2].forEach((i) => reportFinished(p, failure(i), AT)));
    const b = processDoc('h:2', (p) => reportFinished(p, failure(4), AT));
    expect(mergeRunProgress([a, b]).errors.map((e) => e.userId)).toEqual(['user-2', 'user-4', 'user-7']);
  });
});
