import { describe, expect, it } from 'vitest';
import { packTails, type ConversationTail } from '../../../api/src/runs/domain/mailbox-contribution';

const tail = (at: number, fromOrganisation: boolean): ConversationTail => ({ at, fromOrganisation });

describe('conversation tails carried to the next run', () => {
  it('when tails are packed for the next run, then only those of conversations the organisation wrote in last are kept, in order', () => {
    const tails = new Map([
      ['c1', tail(1_000, true)],
      ['c2', tail(2_000, false)],
      ['c3', tail(3_000, true)],
      ['c4', tail(4_000, false)],
    ]);
    expect(packTails(tails)).toEqual({ keys: ['c1', 'c3'], at: [1_000, 3_000], fromOrganisation: [true, true] });
  });

  it('when no conversation ended with the organisation, then nothing is carried', () => {
    expect(packTails(new Map([['c1', tail(1_000, false)]]))).toEqual({ keys: [], at: [], fromOrganisation: [] });
  });
});
