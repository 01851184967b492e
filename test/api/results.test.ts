import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTOSO_TENANT_ID, FABRIKAM_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { startAdminHarness, type AdminTestHarness } from './enrichments-test-support';
import { atLeastDays, atMostDays, sortedRows, storedResults } from './results-expectations';
import { seededRows, seedResult } from './results-test-support';

let h: AdminTestHarness;
let seller: string;
let other: string;
const T = CONTOSO_TENANT_ID;
const E = 'enr_results_test';
const RUN = 'run_current';
const base = `/api/enrichments/${E}/results`;

beforeAll(async () => {
  h = await startAdminHarness('results');
  seller = await h.tokenFor(T, h.persona(T, 'seller'));
  other = await h.tokenFor(FABRIKAM_TENANT_ID, h.persona(FABRIKAM_TENANT_ID, 'seller'));
  await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: RUN, ...SEED });
  // Another run's snapshot is stored too, but the pointer does not name it: readers must never see it.
  await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_old', accounts: 50, seed: 99, withEnrichment: false, flip: false });
}, 60_000);
afterAll(() => h?.close());

const SEED = { accounts: 200, activeShare: 0.2, weeks: 8, months: 4 };
const all = seededRows(SEED);
const year = all.filter((r) => r.AggregationLevel === 'Year');
const get = (path: string, token = seller) => request(h.app).get(path).set('Authorization', `Bearer ${token}`);
/** The response body as bytes, untouched (supertest would decode it to text). */
function rawBody(response: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  // In a parser supertest hands over the HTTP response stream itself.
  const res = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (e: Error) => done(e, Buffer.alloc(0)));
}

describe('results grid', () => {
  it('pages through the Year rows sorted by score with a stable AccountId tiebreak', async () => {
    const expected = sortedRows(year, 'EngagementScore', 'desc');
    expect(expected).toHaveLength(200);
    const p1 = await get(`${base}/rows?limit=25`).expect(200);
    const p2 = await get(`${base}/rows?limit=25&offset=25`).expect(200);
    expect(p1.body.total).toBe(200);
    expect(p1.body.runId).toBe(RUN);
    expect([...p1.body.items, ...p2.body.items].map((r: { AccountId: string }) => r.AccountId)).toEqual(expected.slice(0, 50).map((r) => r.AccountId));
    expect(Object.keys(p1.body.items[0])).toContain('DaysSinceLastEmail');
    expect(p1.body.items[0]).not.toHaveProperty('tenantId');
  });

  it('sorts by any column both ways and returns only the chosen columns', async () => {
    const res = await get(`${base}/rows?sort=DaysSinceLastMeeting&order=asc&columns=AccountName,DaysSinceLastMeeting&limit=30&offset=100`).expect(200);
    const expected = sortedRows(year, 'DaysSinceLastMeeting', 'asc').slice(100, 130);
    expect(res.body.items.map((r: { AccountId: string }) => r.AccountId)).toEqual(expected.map((r) => r.AccountId));
    expect(res.body.columns).toEqual(['AccountId', 'AccountName', 'DaysSinceLastMeeting']);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(['AccountId', 'AccountName', 'DaysSinceLastMeeting']);
    const desc = await get(`${base}/rows?sort=AccountName&order=desc&limit=5`).expect(200);
    const names = desc.body.items.map((r: { AccountName: string }) => r.AccountName);
    expect([...names].sort().reverse()).toEqual(names);
  });

  it('filters by score and days-since ranges (never counts as infinitely long ago) and by name prefix', async () => {
    const res = await get(`${base}/rows?scoreMin=20&scoreMax=80&emailDaysMin=60&meetingDaysMax=150&limit=500`).expect(200);
    const direct = year.filter((r) => r.EngagementScore >= 20 && r.EngagementScore <= 80 && atLeastDays(r.DaysSinceLastEmail, 60) && atMostDays(r.DaysSinceLastMeeting, 150)).length;
    expect(res.body.total).toBe(direct);
    expect(direct).toBeGreaterThan(0);
    for (const r of res.body.items) {
      expect(r.EngagementScore).toBeGreaterThanOrEqual(20);
      expect(r.DaysSinceLastEmail === null || r.DaysSinceLastEmail >= 60).toBe(true);
      expect(r.DaysSinceLastMeeting).not.toBeNull();
    }
    const never = await get(`${base}/rows?emailDaysMin=60&limit=1`).expect(200);
    const nulls = year.filter((r) => r.DaysSinceLastEmail === null).length;
    expect(nulls).toBeGreaterThan(0);
    expect(never.body.total).toBe(nulls + year.filter((r) => r.DaysSinceLastEmail !== null && r.DaysSinceLastEmail >= 60).length);
    const search = await get(`${base}/rows?search=nORTHwind&limit=500`).expect(200);
    expect(search.body.total).toBe(20);
    expect(search.body.items.every((r: { AccountName: string }) => r.AccountName.startsWith('Northwind'))).toBe(true);
    const byId = await get(`${base}/rows?search=ACC-000007`).expect(200);
    expect(byId.body.items.map((r: { AccountId: string }) => r.AccountId)).toEqual(['ACC-000007']);
  });

  it('reads Week rows of one period and lists the periods', async () => {
    const periods = await get(`${base}/periods?level=Week`).expect(200);
    expect(periods.body.periods).toHaveLength(8);
    const period = periods.body.periods[0];
    const res = await get(`${base}/rows?level=Week&period=${encodeURIComponent(period)}&limit=500`).expect(200);
    expect(res.body.total).toBe(all.filter((r) => r.AggregationLevel === 'Week' && r.AggregationStartDate === period).length);
    expect(res.body.items.every((r: { AggregationStartDate: string }) => r.AggregationStartDate === period)).toBe(true);
  });

  it('applies a JSON condition filter the same way segments do', async () => {
    const filter = { type: 'group', combinator: 'or', children: [{ type: 'condition', column: 'NoOfMeetings_ToAccount', operator: '>=', value: 7 }, { type: 'condition', column: 'AverageDuration_Of_Meetings', operator: 'isEmpty' }] };
    const res = await get(`${base}/rows?filter=${encodeURIComponent(JSON.stringify(filter))}`).expect(200);
    expect(res.body.total).toBe(year.filter((r) => r.NoOfMeetings_ToAccount >= 7 || r.AverageDuration_Of_Meetings === null).length);
  });

  it('exports the current view as CSV whose rows equal the API pages, formula-safe', async () => {
    const q = 'scoreMin=30&sort=AccountName&order=asc&columns=AccountName,EngagementScore,DaysSinceLastEmail';
    const pages: Array<Record<string, string | number | null>> = [];
    for (let offset = 0; ; offset += 100) {
      const p = await get(`${base}/rows?${q}&limit=100&offset=${offset}`).expect(200);
      pages.push(...p.body.items);
      if (offset + 100 >= p.body.total) break;
    }
    const csv = await get(`${base}/rows.csv?${q}&header=names`).expect(200).expect('Content-Type', /text\/csv/);
    const parsed = parse(csv.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(parsed).toHaveLength(pages.length);
    expect(Object.keys(parsed[0]!)).toEqual(['AccountId', 'AccountName', 'EngagementScore', 'DaysSinceLastEmail']);
    parsed.forEach((row, i) => {
      const api = pages[i];
      expect(row.AccountId).toBe(api!.AccountId);
      const name = String(api!.AccountName);
      expect(row.AccountName).toBe(name.startsWith('=') ? `'${name}` : name);
      expect(Number(row.EngagementScore)).toBe(api!.EngagementScore);
      expect(row.DaysSinceLastEmail).toBe(api!.DaysSinceLastEmail === null ? '' : String(api!.DaysSinceLastEmail));
    });
    expect(parsed.some((r) => r.AccountName!.startsWith("'=Formula"))).toBe(true);
  });

  it('when the tab asks for French or Traditional Chinese, then the CSV header is the friendly names in that language, after a UTF-8 BOM', async () => {
    const q = 'columns=AccountName,EngagementScore,AverageDuration_Of_AccountEmailReplies&sort=AccountId&order=asc';
    const fr = await get(`${base}/rows.csv?${q}&locale=fr`).buffer(true).parse(rawBody).expect(200);
    const bytes = fr.body as Buffer;
    // Excel reads a CSV without a BOM in the machine's ANSI code page: "Délai" would become "DÃ©lai".
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const frRows = parse(bytes.subarray(3).toString('utf8')) as string[][];
    expect(frRows[0]).toEqual(['Identifiant de compte', 'Compte', 'Score', 'Délai de réponse moyen (minutes)']);
    // The cells are the same as with the technical names: only the header row is translated.
    const names = parse((await get(`${base}/rows.csv?${q}&header=names`).expect(200)).text, { bom: true }) as string[][];
    expect(names[0]).toEqual(['AccountId', 'AccountName', 'EngagementScore', 'AverageDuration_Of_AccountEmailReplies']);
    expect(frRows.slice(1)).toEqual(names.slice(1));
    expect(frRows).toHaveLength(201);

    const zh = await get(`${base}/rows.csv?${q}&locale=zh-HK`).buffer(true).parse(rawBody).expect(200);
    expect([...(zh.body as Buffer).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect((parse(zh.body as Buffer, { bom: true, to_line: 1 }) as string[][])[0]).toEqual(['客戶帳戶 ID', '客戶帳戶', '分數', '平均回覆時間（分鐘）']);

    // Without a locale the browser's Accept-Language decides (the first language we speak), then English.
    const header = async (req: request.Test) => (parse((await req.expect(200)).text, { bom: true, to_line: 1 }) as string[][])[0];
    expect(await header(get(`${base}/rows.csv?${q}`).set('Accept-Language', 'de-DE, pl;q=0.9, fr;q=0.8'))).toEqual(['Identyfikator konta', 'Konto', 'Wynik', expect.stringMatching(/\(w minutach\)$/)]);
    expect(await header(get(`${base}/rows.csv?${q}`).set('Accept-Language', 'zh-TW'))).toEqual(['客戶帳戶 ID', '客戶帳戶', '分數', '平均回覆時間（分鐘）']);
    expect(await header(get(`${base}/rows.csv?${q}`))).toEqual(['Account id', 'Account', 'Score', 'Average reply time (minutes)']);
    // Only the six languages the tab speaks: anything else is a clear 400, not a silent English file.
    for (const bad of ['de', 'fr-FR', 'zh-CN', '']) {
      const res = await get(`${base}/rows.csv?${q}&locale=${encodeURIComponent(bad)}`).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toMatch(/locale.*en, fr, pl, sv, id, zh-HK/);
    }
  });

  it('when a CSV is downloaded, then its file name says enrichment, level, period, rows and as-of date, RFC 6266 encoded', async () => {
    const disposition = async (q: string) => String((await get(`${base}/rows.csv?${q}`).expect(200)).headers['content-disposition']);
    // The seeded run is as of 2026-03-02.
    expect(await disposition('')).toBe(`attachment; filename="Office-Year-Accounts-2026-03-02.csv"; filename*=UTF-8''Office-Year-Accounts-2026-03-02.csv`);
    const months = (await get(`${base}/periods?level=Month`).expect(200)).body.periods as string[];
    const month = months[0]!;
    expect(await disposition(`level=Month&period=${encodeURIComponent(month)}`)).toContain(`filename="Office-Month-${month.slice(0, 7)}-Accounts-2026-03-02.csv"`);
    const weeks = (await get(`${base}/periods?level=Week`).expect(200)).body.periods as string[];
    expect(await disposition(`level=Week&period=${encodeURIComponent(weeks[1]!)}`)).toContain(`filename="Office-Week-${weeks[1]!.slice(0, 10)}-Accounts-2026-03-02.csv"`);
    // Every week in one file says so.
    expect(await disposition('level=Week')).toContain('filename="Office-Week-all-Accounts-2026-03-02.csv"');
  });

  it('refuses bad filters with problem+json naming them, and changes nothing', async () => {
    const before = await storedResults(h.db);
    const cases: Array<[string, RegExp]> = [
      ['sort=Nope', /sort/],
      ['scoreMin=abc', /scoreMin/],
      ['scoreMin[$gt]=1', /scoreMin\[\$gt\]/],
      ['columns=AccountName,Secret', /Secret/],
      ['level=Decade', /level/],
      ['limit=5000', /limit/],
      ['filter=' + encodeURIComponent('{"$where":"sleep(1000)"}'), /filter/],
      ['filter=' + encodeURIComponent(JSON.stringify({ type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: '>', value: { $gt: 0 } }] })), /filter\.children\.0/],
      ['filter=' + encodeURIComponent(JSON.stringify({ type: 'group', combinator: 'and', children: [{ type: 'condition', column: '$where', operator: '>', value: 1 }] })), /unknown column/],
      ['filter=' + encodeURIComponent(JSON.stringify({ type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: '>', value: 'high' }] })), /number column/],
      ['filter=' + encodeURIComponent(JSON.stringify({ type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: '$gt', value: 1 }] })), /operator/],
      ['filter=not-json', /not JSON/],
    ];
    for (const [q, detail] of cases) {
      const res = await get(`${base}/rows?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('validation');
      expect(res.body.detail, q).toMatch(detail);
    }
    expect(await storedResults(h.db)).toEqual(before);
  });

  it('keeps tenants apart and answers empty before the first result', async () => {
    await get(`${base}/rows`, other).expect(404);
    await get(`${base}/rows.csv`, other).expect(404);
    await seedResult(h.db, { tenantId: T, enrichmentId: 'enr_empty', runId: 'r0', accounts: 0, flip: false });
    const empty = await get('/api/enrichments/enr_empty/results/rows').expect(200);
    expect(empty.body).toMatchObject({ runId: null, total: 0, items: [] });
  });

  it('gives an overview with the preview, and the user entity to admins only', async () => {
    const res = await get(base).expect(200);
    expect(res.body.current.runId).toBe(RUN);
    expect(res.body.preview).toHaveLength(10);
    expect(res.body.preview[0].EngagementScore).toBeGreaterThanOrEqual(res.body.preview[9].EngagementScore);
    expect(res.body.attributes).toEqual(['Industry']);
    expect(res.body.columns.map((c: { name: string }) => c.name)).toContain('EngagementScore');
    await h.db.collection('engine_user_entities').insertMany([
      { tenantId: T, enrichmentId: E, runId: RUN, entityName: 'Office_UserEntity', UserId: 'u2', Mail: 'b@contoso.com' },
      { tenantId: T, enrichmentId: E, runId: 'run_old', entityName: 'Office_UserEntity', UserId: 'u9', Mail: 'old@contoso.com' },
      { tenantId: T, enrichmentId: E, runId: RUN, entityName: 'Office_UserEntity', UserId: 'u1', Mail: 'a@contoso.com' },
    ]);
    // The user entity lists every mailbox read: admins only.
    await get(`${base}/users`).expect(403);
    const users = await get(`${base}/users`, await h.tokenFor(T, h.persona(T, 'enrichmentAdmin'))).expect(200);
    expect(users.body).toMatchObject({ total: 2, entityName: 'Office_UserEntity', items: [{ UserId: 'u1', Mail: 'a@contoso.com' }, { UserId: 'u2', Mail: 'b@contoso.com' }] });
  });

  it('documents the endpoints in OpenAPI', async () => {
    const doc = await request(h.app).get('/api/openapi.json').expect(200);
    for (const p of ['/api/enrichments/{enrichmentId}/results/rows', '/api/enrichments/{enrichmentId}/results/rows.parquet', '/api/enrichments/{enrichmentId}/segments/count', '/api/enrichments/{enrichmentId}/measures', '/api/enrichments/{enrichmentId}/customers/{accountId}', '/api/accounts']) {
      expect(doc.body.paths[p], p).toBeDefined();
    }
  });
});
