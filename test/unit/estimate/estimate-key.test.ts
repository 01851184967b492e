import { describe, expect, it } from 'vitest';
import { canonicalMailboxes, mailboxSetKey } from '../../../api/src/estimate/estimate-key';

const model = { requestSeconds: 0.3, itemSeconds: 0.001, concurrency: 16 };
const a = '0b8a1f52-7c1e-4f7e-9d1a-3f1d2b4c5e6f';
const b = 'F3C2A1B0-1111-4222-8333-944455566677';

describe('the key of a draft selection', () => {
  it('when the same mailboxes come in another order, case or with repeats, then the key is the same', () => {
    expect(mailboxSetKey([a, b], model)).toBe(mailboxSetKey([b.toLowerCase(), a.toUpperCase(), a], model));
    expect(canonicalMailboxes([b, a, a])).toEqual([a, b.toLowerCase()]);
    expect(mailboxSetKey([a, b], model)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when a mailbox is added or the concurrency differs, then it is another estimate with another key', () => {
    expect(mailboxSetKey([a], model)).not.toBe(mailboxSetKey([a, b], model));
    expect(mailboxSetKey([a, b], model)).not.toBe(mailboxSetKey([a, b], { ...model, concurrency: 4 }));
  });
});
