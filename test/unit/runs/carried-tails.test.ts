import { describe, expect, it } from 'vitest';
import { calendarItemKey, conversationKey, isCurrentLedger, isCurrentTails, packLedger, packTails, unpackLedger, unpackTails, type ConversationTail } from '../../../api/src/runs/domain/mailbox-contribution';

const tail = (at: number, fromOrganisation: boolean): ConversationTail => ({ at, fromOrganisation });

describe('conversation tails carried to the next run', () => {
  it('when tails are packed for the next run, then only those of conversations the organisation wrote in last are kept, in order', () => {
    const tails = new Map([
      [1, tail(1_000, true)],
      [2, tail(2_000, false)],
      [3, tail(3_000, true)],
      [4, tail(4_000, false)],
    ]);
    expect(packTails(tails)).toEqual({ keys: [1, 3], at: [1_000, 3_000] });
  });

  it('when no conversation ended with the organisation, then nothing is carried', () => {
    expect(packTails(new Map([[1, tail(1_000, false)]]))).toEqual({ keys: [], at: [] });
  });

  it('when packed tails are read back, then each is the organisation\'s with its instant', () => {
    const back = unpackTails(packTails(new Map([[conversationKey('thread-a'), tail(5_000, true)], [conversationKey('thread-b'), tail(6_000, true)]])));
    expect([...back]).toEqual([[conversationKey('thread-a'), tail(5_000, true)], [conversationKey('thread-b'), tail(6_000, true)]]);
  });

  it('when a state from before numeric keys is met, then it is not taken as current (that mailbox is read in full)', () => {
    expect(isCurrentTails({ keys: ['AbCdEfGhIjKlMnOp'], at: [1], fromOrganisation: [true] })).toBe(false);
    expect(isCurrentTails({ keys: [12], at: [1], fromOrganisation: [true] })).toBe(false);
    expect(isCurrentTails({ keys: [12], at: [1] })).toBe(true);
  });

  it('when conversation ids are keyed, then the key is a whole number a double holds exactly, stable and distinct per id', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => conversationKey(`AAQkAGI2TG93AAA=${i}`));
    for (const k of keys.slice(0, 100)) expect(Number.isSafeInteger(k) && k >= 0 && k < 2 ** 52).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(conversationKey('AAQkAGI2TG93AAA=7')).toBe(keys[7]);
  });
});

describe('the meeting ledger carried to the next run', () => {
  it('when a ledger from before numeric keys and name tables is met, then it is not taken as current (that calendar is read in full)', () => {
    expect(isCurrentLedger({ keys: ['AbCdEfGhIjKlMnOp'], identity: ['QrStUvWxYz012345'], start: [1], end: [2], selected: [[0]], accounts: [[]] })).toBe(false);
    expect(isCurrentLedger({ keys: [calendarItemKey('AAMkAGI2-event-1')], identity: [3], start: [1], end: [2], selected: [[0]], accounts: [[]] })).toBe(false);
    expect(isCurrentLedger({ keys: [calendarItemKey('AAMkAGI2-event-1')], identity: [3], start: [1], end: [2], selected: [[0]], strings: [], accounts: [[]], domains: [[]] })).toBe(true);
  });

  it('when a ledger is packed and read back, then every meeting comes back under its item key with its accounts, addresses and domains', () => {
    const key = calendarItemKey('AAMkAGI2-event-1');
    const other = calendarItemKey('AAMkAGI2-event-2');
    const ledger = new Map([
      [key, { identity: calendarItemKey('ical-1|1000'), start: 1_000, end: 2_000, selected: [0, 2], accounts: [{ accountId: 'ACC-1', fromAccount: true, addresses: ['pat@customer.example', 'lee@customer.example'] }, { accountId: 'ACC-2', fromAccount: false, addresses: [] }] }],
      [other, { identity: calendarItemKey('ical-2|5000'), start: 5_000, end: 6_000, selected: [1], accounts: [], domains: [{ domain: 'tradefair.example.org', fromDomain: false, people: ['info@tradefair.example.org'] }] }],
    ]);
    const packed = packLedger(ledger);
    // Each name once, the meetings' lists as numbers only.
    expect(packed.strings).toEqual(['ACC-1', 'pat@customer.example', 'lee@customer.example', 'ACC-2', 'tradefair.example.org', 'info@tradefair.example.org']);
    expect(packed.accounts.flat().every((x) => typeof x === 'number')).toBe(true);
    expect(unpackLedger(packed)).toEqual(ledger);
  });
});
