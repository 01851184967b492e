import { describe, expect, it } from 'vitest';
import { healthStateOf, mailboxFailureKind, nextHealthRecords, summariseHealth, type MailboxHealthRecord, type MailboxOutcome } from '../../../api/src/runs/domain/mailbox-health';

const at = (day: number) => new Date(Date.UTC(2026, 0, day));
const outcome = (userId: string, patch: Partial<MailboxOutcome> = {}): MailboxOutcome => ({ userId, state: 'done', reason: null, calendarFullRead: null, health: { retries: 0, throttled: 0, attempts: 1 }, at: at(10), ...patch });
const failed = (userId: string, failureKind: string, day = 10): MailboxOutcome => outcome(userId, { state: 'failed', reason: `failed: ${failureKind}`, health: { retries: 0, throttled: 0, attempts: 3, failureKind }, at: at(day) });
const boxes = (...ids: string[]) => ids.map((userId) => ({ userId, mail: `${userId}@contoso.example` }));

describe('mailbox failure kinds', () => {
  it('when Graph answers 404 MailboxNotEnabledForRESTAPI, then the user has no mailbox licence; a plain 404 is not found', () => {
    expect(mailboxFailureKind({ status: 404, code: 'MailboxNotEnabledForRESTAPI' })).toBe('no-licence');
    expect(mailboxFailureKind({ status: 404, code: 'ErrorItemNotFound' })).toBe('not-found');
  });
  it('when Graph answers 403, 429, 503 or a consent error, then the kind says so', () => {
    expect(mailboxFailureKind({ status: 403, code: 'ErrorAccessDenied' })).toBe('access-denied');
    expect(mailboxFailureKind({ status: 429, code: 'ApplicationThrottled' })).toBe('throttled');
    expect(mailboxFailureKind({ status: 503 })).toBe('transient');
    expect(mailboxFailureKind({ message: 'AADSTS700016: application not found' })).toBe('consent');
    expect(mailboxFailureKind({ status: 400 })).toBe('other');
  });
});

describe('a mailbox state after one run', () => {
  it('when the read went through at once, then it is read; with retries, throttling or a calendar reset it says which', () => {
    expect(healthStateOf(outcome('a')).state).toBe('read');
    expect(healthStateOf(outcome('a', { health: { retries: 2, throttled: 0, attempts: 1 } })).state).toBe('read-with-retries');
    expect(healthStateOf(outcome('a', { health: { retries: 0, throttled: 0, attempts: 2 } })).state).toBe('read-with-retries');
    expect(healthStateOf(outcome('a', { health: { retries: 2, throttled: 2, attempts: 1 } })).state).toBe('throttled-resumed');
    expect(healthStateOf(outcome('a', { calendarFullRead: 'sync-state-lost', health: { retries: 2, throttled: 2, attempts: 1 } })).state).toBe('calendar-reset');
    // A calendar read in full because the sync window ended is routine, not a reset.
    expect(healthStateOf(outcome('a', { calendarFullRead: 'window-renewed' })).state).toBe('read');
  });
  it('when it failed, then a missing mailbox or licence is unavailable and anything else failed, with the kind', () => {
    expect(healthStateOf(failed('a', 'no-licence'))).toEqual({ state: 'unavailable', failureKind: 'no-licence' });
    expect(healthStateOf(failed('a', 'not-found'))).toEqual({ state: 'unavailable', failureKind: 'not-found' });
    expect(healthStateOf(failed('a', 'access-denied'))).toEqual({ state: 'failed', failureKind: 'access-denied' });
    expect(healthStateOf(failed('a', 'something new'))).toEqual({ state: 'failed', failureKind: 'other' });
  });
});

describe('health records across runs', () => {
  it('when a mailbox keeps failing, then failing-since stays at its first failure and its last success is kept', () => {
    const first = nextHealthRecords(boxes('a', 'b'), [outcome('a', { at: at(1) }), outcome('b', { at: at(1) })], [], at(1));
    const second = nextHealthRecords(boxes('a', 'b'), [failed('a', 'access-denied', 8), outcome('b', { at: at(8) })], first, at(8));
    const third = nextHealthRecords(boxes('a', 'b'), [failed('a', 'access-denied', 15), outcome('b', { at: at(15) })], second, at(15));
    const a = third.find((r) => r.userId === 'a')!;
    expect(a).toMatchObject({ state: 'failed', failureKind: 'access-denied', failingSince: at(8), lastSuccessAt: at(1), reason: 'failed: access-denied' });
    expect(third.find((r) => r.userId === 'b')).toMatchObject({ state: 'read', failingSince: null, lastSuccessAt: at(15), reason: null });
  });
  it('when a failing mailbox is read again, then its failing-since clears; a mailbox never read has no last success', () => {
    const before = nextHealthRecords(boxes('a'), [failed('a', 'no-licence', 3)], [], at(3));
    expect(before[0]).toMatchObject({ lastSuccessAt: null, failingSince: at(3) });
    const after = nextHealthRecords(boxes('a'), [outcome('a', { at: at(4) })], before, at(4));
    expect(after[0]).toMatchObject({ state: 'read', lastSuccessAt: at(4), failingSince: null });
  });
  it('when a retry run carries a mailbox without reading it, then its state and last read stay those of the run that read it', () => {
    const before = nextHealthRecords(boxes('a'), [outcome('a', { at: at(1), health: { retries: 1, throttled: 1, attempts: 1 } })], [], at(1));
    const after = nextHealthRecords(boxes('a'), [outcome('a', { at: at(2), health: { retries: 0, throttled: 0, attempts: 1, carried: true } })], before, at(2));
    expect(after[0]).toMatchObject({ state: 'throttled-resumed', lastSuccessAt: at(1), failingSince: null });
  });

  it('when a mailbox is no longer selected, then it drops out; one without a work item counts as failed', () => {
    const previous: MailboxHealthRecord[] = nextHealthRecords(boxes('a', 'b'), [outcome('a'), outcome('b')], [], at(10));
    const next = nextHealthRecords(boxes('b', 'c'), [outcome('b')], previous, at(11));
    expect(next.map((r) => r.userId)).toEqual(['b', 'c']);
    expect(next[1]).toMatchObject({ state: 'failed', failureKind: 'other', failingSince: at(11) });
  });
});

describe('the summary', () => {
  it('when some mailboxes failed, then it counts read and failed ones, failures by kind and reads by state, and nothing per person', () => {
    const records = nextHealthRecords(
      boxes('a', 'b', 'c', 'd', 'e'),
      [outcome('a'), outcome('b', { health: { retries: 1, throttled: 1, attempts: 1 } }), failed('c', 'no-licence'), failed('d', 'no-licence'), failed('e', 'access-denied')],
      [],
      at(10),
    );
    expect(summariseHealth(records)).toEqual({
      total: 5,
      read: 2,
      failed: 3,
      failedByKind: { 'no-licence': 2, 'access-denied': 1 },
      readByState: { read: 1, 'throttled-resumed': 1 },
    });
    for (const r of records) expect(Object.keys(r).sort()).toEqual(['failingSince', 'failureKind', 'lastSuccessAt', 'mail', 'reason', 'state', 'userId']);
  });
});
