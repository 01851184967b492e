import { describe, expect, it } from 'vitest';
import { buildAddressBook } from '../../../api/src/runs/domain/address-book';
import { WINDOW_MS } from '../../../api/src/runs/domain/engagement-buckets';
import { conversationKey, MessageCollector, type MailboxScope, type MessageMeta } from '../../../api/src/runs/domain/mailbox-contribution';

const asOf = Date.UTC(2026, 5, 1);
const windowStart = asOf - WINDOW_MS;
const book = buildAddressBook({
  selected: [
    { userId: 'u0', mail: 'ann@contoso.example' },
    { userId: 'u1', mail: 'bob@contoso.example' },
  ],
  organisationDomains: ['contoso.example'],
  contacts: [{ email: 'pat@customer.example', accountId: 'A1' }],
  matchAccountDomains: false,
  excludedAddresses: [],
  excludedDomains: [],
});
const scope: MailboxScope = { self: 0, book, asOf, windowStart, halfLifeDays: 30 };

const message = (id: string, sentAt: number, from: string, to: string[], over: Partial<MessageMeta> = {}): MessageMeta => ({
  internetMessageId: id,
  conversationId: `thread-of-${id}`,
  from,
  to,
  cc: [],
  sentDateTime: new Date(sentAt).toISOString(),
  receivedDateTime: new Date(sentAt).toISOString(),
  isDraft: false,
  ...over,
});

/** What the collector shows, copied out of the object it refills. */
const read = (c: MessageCollector) => {
  return Array.from({ length: c.size }, (_, n) => {
    const m = c.message(n);
    return { id: m.id, conversation: m.conversation, sent: m.sent, sender: m.sender.address, participants: m.participants.map((p) => p.address) };
  });
};

describe('a mailbox message collector', () => {
  it('when pages arrive out of order, then the messages are read by sent time, ties by id, each with its own participants: recipients in to/cc order, the sender first when it is not one of them', () => {
    const t = asOf - 86_400_000;
    const c = new MessageCollector();
    c.add([message('<c>', t + 2_000, 'pat@customer.example', ['ann@contoso.example', 'bob@contoso.example'])], scope);
    c.add(
      [
        message('<b>', t + 1_000, 'ann@contoso.example', ['pat@customer.example'], { cc: ['ANN@contoso.example', 'bob@contoso.example'] }),
        message('<a>', t + 1_000, 'bob@contoso.example', ['ann@contoso.example', 'bob@contoso.example']),
      ],
      scope,
    );
    expect(c.messagesRead).toBe(3);
    expect(read(c)).toEqual([
      { id: '<a>', conversation: conversationKey('thread-of-<a>'), sent: t + 1_000, sender: 'bob@contoso.example', participants: ['ann@contoso.example', 'bob@contoso.example'] },
      { id: '<b>', conversation: conversationKey('thread-of-<b>'), sent: t + 1_000, sender: 'ann@contoso.example', participants: ['pat@customer.example', 'ann@contoso.example', 'bob@contoso.example'] },
      { id: '<c>', conversation: conversationKey('thread-of-<c>'), sent: t + 2_000, sender: 'pat@customer.example', participants: ['pat@customer.example', 'ann@contoso.example', 'bob@contoso.example'] },
    ]);
  });

  it('when a message repeats, is a draft, falls outside the window, arrived after as-of or was sent by noise, then it is read but not kept', () => {
    const t = asOf - 86_400_000;
    const c = new MessageCollector();
    c.add(
      [
        message('<kept>', t, 'ann@contoso.example', ['pat@customer.example']),
        message('<kept>', t, 'ann@contoso.example', ['pat@customer.example']),
        message('<draft>', t, 'ann@contoso.example', ['pat@customer.example'], { isDraft: true }),
        message('<old>', windowStart, 'ann@contoso.example', ['pat@customer.example']),
        message('<late>', t, 'ann@contoso.example', ['pat@customer.example'], { receivedDateTime: new Date(asOf + 1).toISOString() }),
        message('<robot>', t, 'no-reply@customer.example', ['ann@contoso.example']),
      ],
      scope,
    );
    expect(c.messagesRead).toBe(6);
    expect(read(c).map((m) => m.id)).toEqual(['<kept>']);
  });

  it('when more messages arrive than its first columns hold, then every one is kept with its own time and people', () => {
    const t = asOf - 30 * 86_400_000;
    const c = new MessageCollector();
    const many = Array.from({ length: 1_000 }, (_, k) =>
      message(`<m${String(k).padStart(4, '0')}>`, t + (1_000 - k) * 60_000, k % 2 ? 'ann@contoso.example' : 'pat@customer.example', k % 3 ? ['bob@contoso.example'] : ['bob@contoso.example', 'ann@contoso.example']),
    );
    c.add(many.slice(0, 400), scope);
    c.add(many.slice(400), scope);
    const got = read(c);
    expect(got).toHaveLength(1_000);
    expect(got.map((m) => m.sent)).toEqual([...many].reverse().map((m) => Date.parse(m.sentDateTime)));
    for (const m of got) {
      const k = Number(m.id.slice(2, 6));
      const sender = k % 2 ? 'ann@contoso.example' : 'pat@customer.example';
      expect(m.sender).toBe(sender);
      expect(m.participants).toEqual(k % 3 ? [sender, 'bob@contoso.example'] : sender === 'ann@contoso.example' ? ['bob@contoso.example', 'ann@contoso.example'] : [sender, 'bob@contoso.example', 'ann@contoso.example']);
    }
  });

  it('when messages were read in sent order, then adding more is refused instead of being left out of the order', () => {
    const c = new MessageCollector();
    c.add([message('<a>', asOf - 1_000, 'ann@contoso.example', ['pat@customer.example'])], scope);
    c.message(0);
    expect(() => c.add([message('<b>', asOf - 500, 'ann@contoso.example', ['pat@customer.example'])], scope)).toThrow(/after the collector was read/);
  });
});
