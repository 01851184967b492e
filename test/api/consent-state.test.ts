import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { adminConsentLink, createConsentState, verifyConsentState } from '../../api/src/consent/consent-state';
import { readRecords } from '../../api/src/datasets/record-stream';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const NOW = new Date('2026-01-10T12:00:00Z');

describe('consent state', () => {
  it('when a state is signed and checked in time, then it names the tenant, enrichment and nonce', () => {
    const { state, payload } = createConsentState(SECRET, 't1', 'enr_1', NOW);
    expect(verifyConsentState(SECRET, state, new Date(NOW.getTime() + 60_000))).toEqual({ ok: true, payload });
  });

  it('when the state is expired, re-signed with another key or altered, then it is refused', () => {
    const { state } = createConsentState(SECRET, 't1', 'enr_1', NOW, 60);
    expect(verifyConsentState(SECRET, state, new Date(NOW.getTime() + 61_000))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyConsentState('another-secret-of-at-least-32-characters', state, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    const [body, sig] = state.split('.');
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), t: 't2' })).toString('base64url');
    expect(verifyConsentState(SECRET, `${altered}.${sig}`, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyConsentState(SECRET, 'x', NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('when the link is built, then it is the v2 adminconsent URL with the Graph .default scope and the API callback', () => {
    const link = new URL(adminConsentLink({ authorityHost: 'https://login.microsoftonline.com', tenantId: 't1', clientId: 'c1', publicUrl: 'https://app.example', state: 's.t' }));
    expect(link.origin + link.pathname).toBe('https://login.microsoftonline.com/t1/v2.0/adminconsent');
    expect(Object.fromEntries(link.searchParams)).toEqual({ client_id: 'c1', scope: 'https://graph.microsoft.com/.default', redirect_uri: 'https://app.example/api/consent/callback', state: 's.t' });
  });
});

describe('streamed records', () => {
  async function collect(chunks: string[], format: 'csv' | 'json' | 'ndjson') {
    const columns = new Set<string>();
    const rows = [];
    for await (const r of readRecords(Readable.from(chunks.map((c) => Buffer.from(c))), format, columns)) rows.push(r);
    return { rows, columns: [...columns] };
  }

  it('when a JSON array arrives split mid-string and mid-escape, then each element is parsed whole', async () => {
    const text = '[{"Email":"a@x.example","Note":"br\\"ace } ] {"},\n {"Email":"b@x.example","N":2}]';
    const chunks = text.match(/.{1,3}/gs)!;
    const { rows, columns } = await collect(chunks, 'json');
    expect(rows).toEqual([
      { row: 1, record: { Email: 'a@x.example', Note: 'br"ace } ] {' } },
      { row: 2, record: { Email: 'b@x.example', N: '2' } },
    ]);
    expect(columns).toEqual(['Email', 'Note', 'N']);
  });

  it('when a JSON body is not an array or is cut short, then it is refused', async () => {
    await expect(collect(['{"a":1}'], 'json')).rejects.toThrow(/JSON array/);
    await expect(collect(['[{"a":1}'], 'json')).rejects.toThrow(/not closed/);
  });

  it('when a CSV row has the wrong number of fields, then that row alone is flagged', async () => {
    const { rows } = await collect(['\uFEFFa,b\r\n1,2\r\n3\r\n"4",', '"5"\r\n'], 'csv');
    expect(rows).toEqual([
      { row: 1, record: { a: '1', b: '2' } },
      { row: 2, problem: 'The row has 1 fields but the header has 2.' },
      { row: 3, record: { a: '4', b: '5' } },
    ]);
  });
});
