import { describe, expect, it } from 'vitest';
import { MailboxCursor, MailboxCursors } from '../../../api/src/runs/coordination/mailbox-cursor';

/** Takes every index the cursor hands out now, until it says wait or none. */
function drain(cursor: MailboxCursor, now: number): number[] {
  const out: number[] = [];
  for (let next = cursor.next(now); next.kind === 'read'; next = cursor.next(now)) out.push(next.index);
  return out;
}

describe('mailbox cursor', () => {
  it('when a process walks a run, then it hands out every index once, from its starting point round to it', () => {
    const cursor = new MailboxCursor(5, 3);
    expect(drain(cursor, 0)).toEqual([3, 4, 0, 1, 2]);
    expect(cursor.next(0)).toEqual({ kind: 'none' });
  });

  it('when a mailbox was held elsewhere, then it is handed out again at its time and the readers wait until then', () => {
    const cursor = new MailboxCursor(3, 0);
    expect(drain(cursor, 0)).toEqual([0, 1, 2]);
    cursor.askAgainAt(1, 1000);
    expect(cursor.next(400)).toEqual({ kind: 'wait', ms: 600 });
    expect(cursor.next(1000)).toEqual({ kind: 'read', index: 1 });
    expect(cursor.next(1000)).toEqual({ kind: 'none' });
  });

  it('when mailboxes are asked for again, then the one due first comes first', () => {
    const cursor = new MailboxCursor(3, 0);
    drain(cursor, 0);
    cursor.askAgainAt(2, 500);
    cursor.askAgainAt(0, 200);
    expect(cursor.next(600)).toEqual({ kind: 'read', index: 0 });
    expect(cursor.next(600)).toEqual({ kind: 'read', index: 2 });
  });

  it('when a mailbox is known finished, then it is skipped on the walk and never asked for again', () => {
    const cursor = new MailboxCursor(4, 0);
    cursor.finish(1);
    expect(drain(cursor, 0)).toEqual([0, 2, 3]);
    cursor.askAgainAt(1, 0);
    expect(cursor.next(0)).toEqual({ kind: 'none' });
  });

  it('when this process fails a mailbox again and again, then it counts the failures per mailbox', () => {
    const cursor = new MailboxCursor(2, 0);
    expect([cursor.failedHere(1), cursor.failedHere(1), cursor.failedHere(0)]).toEqual([1, 2, 1]);
  });

  it('when a run has no mailbox, then the cursor has nothing to hand out', () => {
    expect(new MailboxCursors().of('run-empty', 0).next(0)).toEqual({ kind: 'none' });
  });

  it('when processes start a run, then each has its own cursor per run and starting point', () => {
    const starts = [2, 0];
    const cursors = new MailboxCursors(() => starts.shift()!);
    const a = cursors.of('run-a', 4);
    expect(cursors.of('run-a', 4)).toBe(a);
    expect(drain(a, 0)).toEqual([2, 3, 0, 1]);
    expect(drain(cursors.of('run-b', 2), 0)).toEqual([0, 1]);
  });
});
