import { describe, expect, it } from 'vitest';
import { batchAnswers, CALENDAR_PAGE, MESSAGE_PAGE, readPage, toCalendarChange, toMessageMeta, type PageKind, type ReadStats } from '../../../api/src/runs/graph/graph-mailbox.reader';
import { scanBatch, StringInterner } from '../../../api/src/runs/graph/graph-page.scanner';

const stats = (): ReadStats => ({ requests: 0, retries: 0, parseMs: 0 });

/** What the standard path gives for the same bytes: JSON.parse, then the adapter's projection. */
function standard<M>(text: string, project: (item: never) => M | null) {
  const page = JSON.parse(text.replace(/^\uFEFF/, '')) as { value: never[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
  return { items: page.value.map(project).filter((m) => m !== null), nextLink: page['@odata.nextLink'], deltaLink: page['@odata.deltaLink'] };
}

function read<M>(text: string, kind: PageKind<M>) {
  const page = readPage(Buffer.from(text, 'utf8'), kind, stats());
  return { items: page.items, nextLink: page.nextLink, deltaLink: page.deltaLink };
}

const recipient = (address: unknown, name = 'Jo Doe') => ({ emailAddress: { name, address } });

function message(over: Record<string, unknown> = {}) {
  return {
    '@odata.etag': 'W/"CQAAABYAAAB+"',
    id: 'AAMkAGI2TG93AAA=',
    internetMessageId: '<a1@contoso.com>',
    conversationId: 'AAQkAGI2TG93',
    from: recipient('jo@contoso.com'),
    toRecipients: [recipient('ann@fabrikam.com', 'Ann "the boss" Lee')],
    ccRecipients: [],
    sentDateTime: '2026-05-30T01:51:10Z',
    receivedDateTime: '2026-05-30T01:51:23Z',
    isDraft: false,
    ...over,
  };
}

function event(over: Record<string, unknown> = {}) {
  return {
    '@odata.etag': 'W/"DwAAABYAAAB+"',
    id: 'AAMkAGI2THVSAAA=',
    iCalUId: '040000008200E00074C5B7101A82E008',
    type: 'occurrence',
    isCancelled: false,
    start: { dateTime: '2026-06-01T09:00:00.0000000', timeZone: 'UTC' },
    end: { dateTime: '2026-06-01T09:30:00.0000000', timeZone: 'UTC' },
    organizer: recipient('jo@contoso.com'),
    attendees: [{ type: 'required', status: { response: 'accepted', time: '2026-05-01T00:00:00Z' }, emailAddress: { name: 'Ann', address: 'ann@fabrikam.com' } }],
    ...over,
  };
}

const messagePage = (value: unknown[], links: Record<string, string> = { '@odata.nextLink': 'https://graph.microsoft.com/v1.0/users/u/messages?$skiptoken=a%22b' }) =>
  JSON.stringify({ '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#users('u')/messages", value, ...links });

/** A small seeded generator, so a failing case can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('reading Graph pages from their bytes (graph-page.scanner)', () => {
  it('when a message page has every field the adapter reads, odd names, escapes and other text, then it reads what JSON.parse and toMessageMeta read', () => {
    const text = messagePage([
      message(),
      message({ internetMessageId: '<\u00e9t\u00e9@contoso.com>', from: recipient('J\u00f6rg@M\u00fcller.example', 'J\u00f6rg \u6771\u4eac'), ccRecipients: [recipient('cc@contoso.com'), null, { emailAddress: null }, { emailAddress: { name: 'no address' } }, recipient(null), recipient('')] }),
      message({ from: null, toRecipients: null, ccRecipients: undefined, isDraft: true, sentDateTime: null }),
      message({ conversationId: null, isDraft: null, extra: { nested: [1, 2.5e-3, -7, true, false, null, '}]"\\', { deep: [[]] }] } }),
      message({ internetMessageId: '', receivedDateTime: '2026-05-30T01:51:23Z' }),
      message({ receivedDateTime: null }),
      { internetMessageId: '<only@x>', receivedDateTime: '2026-01-01T00:00:00Z' },
      message({ from: { emailAddress: { address: 'first@x' }, other: 1 } }),
    ]);
    // Escaped forms of the same text (\u0040 for @, \/ for /) read as JSON.parse reads them.
    const escaped = text.replace('jo@contoso.com', 'jo\\u0040contoso.com').replace('"ann@fabrikam.com"', '"ann\\/x@fabrikam.com"');
    for (const t of [text, escaped, JSON.stringify(JSON.parse(text), null, 2), `\uFEFF${text}`]) {
      expect(read(t, MESSAGE_PAGE)).toEqual(standard(t, toMessageMeta));
    }
    expect(read(escaped, MESSAGE_PAGE).items[0]!.from).toBe('jo@contoso.com');
  });

  it('when a member appears twice, then the later one counts, as in JSON.parse', () => {
    const text = '{"value":[{"internetMessageId":"<a@x>","receivedDateTime":"2026-01-01T00:00:00Z","from":{"emailAddress":{"address":"a@x"},"emailAddress":{"name":"n"}},"isDraft":true,"isDraft":false}]}';
    expect(read(text, MESSAGE_PAGE)).toEqual(standard(text, toMessageMeta));
    expect(read(text, MESSAGE_PAGE).items[0]).toMatchObject({ from: null, isDraft: false });
  });

  it('when a calendar page holds occurrences, removals, nulls and offsets, then it reads what JSON.parse and toCalendarChange read', () => {
    const text = JSON.stringify({
      value: [
        event(),
        event({ type: undefined, organizer: null, attendees: [], isCancelled: true }),
        event({ start: { dateTime: '2026-06-01T09:00:00+02:00', timeZone: 'UTC' }, end: { timeZone: 'UTC', dateTime: '2026-06-01T10:00:00Z' } }),
        event({ start: null }),
        event({ end: { timeZone: 'UTC' } }),
        { id: 'gone-1', '@removed': { reason: 'deleted' } },
        { '@removed': { reason: 'deleted' } },
        event({ '@removed': null }),
        event({ iCalUId: '' }),
      ],
      '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/users/u/calendarView/delta?$deltatoken=x',
    });
    expect(read(text, CALENDAR_PAGE)).toEqual(standard(text, toCalendarChange));
    expect(read(text, CALENDAR_PAGE).items.filter((c) => c.removed)).toEqual([{ removed: true, id: 'gone-1' }]);
  });

  it('when a page holds a value of a type the scanner does not read (a number id, a string flag), then the page is parsed the standard way and reads the same', () => {
    const odd = [message({ internetMessageId: 42 }), message({ isDraft: 'yes' }), message({ from: 'jo@contoso.com' }), message({ toRecipients: [recipient(7)] })];
    for (const m of odd) {
      const text = messagePage([message(), m]);
      expect(read(text, MESSAGE_PAGE)).toEqual(standard(text, toMessageMeta));
    }
    const removedFlag = JSON.stringify({ value: [{ id: 'r', '@removed': true }] });
    expect(read(removedFlag, CALENDAR_PAGE)).toEqual(standard(removedFlag, toCalendarChange));
  });

  it('when the bytes are not JSON, then reading fails with the SyntaxError JSON.parse gives', () => {
    for (const text of ['<html>gateway</html>', '{"value":[{"internetMessageId":"<a@x>"', '{"value":[]} trailing']) {
      expect(() => readPage(Buffer.from(text), MESSAGE_PAGE, stats())).toThrow(SyntaxError);
    }
  });

  it('when pages are generated at random (fields, order, nulls, unknown members), then every one reads as JSON.parse and the projection read it', () => {
    const next = random(13);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(next() * xs.length)]!;
    const junk = (): unknown => pick<() => unknown>([() => null, () => next() > 0.5, () => Math.round(next() * 1e6) / 100, () => pick(['', 'a"b', 'x\\y', '\u00fc\u00df', '{[', '\t\n']), () => [junk(), junk()], () => ({ k: junk() })])();
    const address = () => pick<unknown>(['a@x.com', 'B@Y.example', '', null, 'u\u00e9@x.fr', 'q"q@x']);
    for (let n = 0; n < 200; n++) {
      const value = Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
        const fields: Array<[string, unknown]> = [
          ['internetMessageId', pick<unknown>(['<a@x>', '<b@x>', '', null])],
          ['conversationId', pick<unknown>(['c1', null, ''])],
          ['from', pick<unknown>([null, recipient(address()), { emailAddress: null }])],
          ['toRecipients', pick<unknown>([null, [], [recipient(address()), recipient(address())]])],
          ['ccRecipients', pick<unknown>([[], [recipient(address())]])],
          ['sentDateTime', pick<unknown>(['2026-01-01T00:00:00Z', null])],
          ['receivedDateTime', pick<unknown>(['2026-01-02T00:00:00Z', null])],
          ['isDraft', pick<unknown>([true, false, null])],
          ['other', junk()],
          ['@odata.etag', junk()],
        ];
        fields.sort(() => next() - 0.5);
        return Object.fromEntries(fields.filter(() => next() > 0.1));
      });
      const text = JSON.stringify({ value, ...(next() > 0.5 ? { '@odata.nextLink': 'https://n/x' } : {}) }, null, next() > 0.7 ? 1 : undefined);
      expect(read(text, MESSAGE_PAGE), text).toEqual(standard(text, toMessageMeta));
    }
  });

  it('when addresses repeat across pages read with one interner, then each reads the same, and strings whose hashes collide stay apart', () => {
    const strings = new StringInterner();
    const first = readPage(Buffer.from(messagePage([message()])), MESSAGE_PAGE, stats(), 0, undefined, strings);
    const second = readPage(Buffer.from(messagePage([message({ toRecipients: [recipient('jo@contoso.com')] })])), MESSAGE_PAGE, stats(), 0, undefined, strings);
    expect(second.items[0]!.from).toBe('jo@contoso.com');
    expect(second.items[0]!.to).toEqual(['jo@contoso.com']);
    expect(first.items[0]!.to).toEqual(['ann@fabrikam.com']);
    // The same hash for different bytes (forced here), and a full interner: the text is always the bytes'.
    const small = new StringInterner(1);
    const bytes = Buffer.from('abcabd') as Buffer & { latin1Slice(s: number, e: number): string };
    expect([small.find(bytes, 0, 3, 7), small.find(bytes, 3, 6, 7), small.find(bytes, 0, 3, 7), small.find(bytes, 3, 6, 7)]).toEqual(['abc', 'abd', 'abc', 'abd']);
  });

  it('when a $batch answer holds pages and a failure, with members in any order, then each page is read in place and the failure keeps its body and headers', () => {
    const messages = JSON.parse(messagePage([message()])) as unknown;
    const calendar = { value: [event()], '@odata.deltaLink': 'https://d/x' };
    const text = JSON.stringify({
      responses: [
        { body: calendar, status: 200, id: 'calendar', headers: { 'content-type': 'application/json' } },
        { id: 'messages', status: 429, headers: { 'Retry-After': '2' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } },
      ],
    });
    const bytes = Buffer.from(text);
    expect(scanBatch(bytes).map((r) => [r.id, r.status])).toEqual([['calendar', 200], ['messages', 429]]);
    const answers = batchAnswers(bytes, { messages: MESSAGE_PAGE, calendar: CALENDAR_PAGE } as Record<string, PageKind<unknown>>, stats());
    expect(answers[0]).toMatchObject({ id: 'calendar', status: 200, page: { items: [toCalendarChange(event() as never)], deltaLink: 'https://d/x' } });
    expect(answers[1]).toEqual({ id: 'messages', status: 429, headers: { 'Retry-After': '2' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } });
    // A batch in a shape the scanner refuses (a status that is not an integer) is parsed whole, its pages projected the same.
    const odd = Buffer.from(JSON.stringify({ responses: [{ id: 'messages', status: 200, body: messages }], note: 'x' }).replace('"status":200', '"status":200.5'));
    expect(() => scanBatch(odd)).toThrow();
    const fallback = batchAnswers(odd, { messages: MESSAGE_PAGE } as Record<string, PageKind<unknown>>, stats());
    expect(fallback[0]!.page).toEqual(readPage(Buffer.from(JSON.stringify(messages)), MESSAGE_PAGE, stats()));
    expect(fallback[0]!.page!.items).toEqual([toMessageMeta(message() as never)]);
  });
});
