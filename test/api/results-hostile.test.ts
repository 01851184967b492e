import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTOSO_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { startAdminHarness, type AdminTestHarness } from './enrichments-test-support';
import { storedResults } from './results-expectations';
import { seedResult } from './results-test-support';

/**
 * Every results route against hostile input: unknown columns, MongoDB and SQL operators where
 * a word is expected, SQL fragments in values, sort keys, path ids and search text, and huge
 * limits. Each is refused with a 4xx problem+json, or (free text such as a search term or a
 * name compared with `=`) matched literally; in no case does anything stored change, and the
 * data reads the same afterwards.
 */
let h: AdminTestHarness;
let seller: string;
let admin: string;
const T = CONTOSO_TENANT_ID;
const E = 'enr_hostile_test';
const base = `/api/enrichments/${E}`;
const sql = [`'; DROP TABLE s1_year; --`, `1 OR 1=1`, `x" OR "1"="1`, `) UNION SELECT * FROM duckdb_settings() --`, `'; COPY (SELECT 1) TO '/tmp/pwned.csv'; --`];
const condition = (c: Record<string, unknown>) => ({ type: 'group', combinator: 'and', children: [{ type: 'condition', ...c }] });
const filterParam = (c: Record<string, unknown>) => `filter=${encodeURIComponent(JSON.stringify(condition(c)))}`;

beforeAll(async () => {
  h = await startAdminHarness('results-hostile');
  seller = await h.tokenFor(T, h.persona(T, 'seller'));
  admin = await h.tokenFor(T, h.persona(T, 'enrichmentAdmin'));
  await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_hostile', accounts: 120, activeShare: 0.3, weeks: 4, months: 2 });
}, 60_000);
afterAll(() => h?.close());

const get = (path: string, token = seller) => request(h.app).get(path).set('Authorization', `Bearer ${token}`);
const post = (path: string, body: unknown, token = seller) => request(h.app).post(path).set('Authorization', `Bearer ${token}`).send(body as object);

/** '' when the answer is a 4xx problem+json with a detail; otherwise what was wrong. */
function problemOf(res: request.Response, label: string): string {
  const ok = res.status >= 400 && res.status < 500 && /application\/problem\+json/.test(res.headers['content-type'] ?? '') && typeof res.body.detail === 'string';
  return ok ? '' : `${label} → ${res.status} ${res.headers['content-type']} ${(res.text ?? '').slice(0, 160)}`;
}

describe('results routes under hostile input', () => {
  it('when any route gets an unknown column, an operator, a SQL fragment where a word or number belongs, or a huge limit, then it answers 4xx problem+json and nothing stored changes', async () => {
    const before = await storedResults(h.db);
    const reference = (await get(`${base}/results/rows?limit=500&sort=AccountName&order=asc`).expect(200)).body;

    const gets: string[] = [
      // The grid, its CSV and the segment members share the view parameters.
      ...['results/rows', 'results/rows.csv'].flatMap((route) => [
        `${base}/${route}?sort=Nope`,
        `${base}/${route}?sort=${encodeURIComponent('EngagementScore; DROP TABLE s1_year')}`,
        `${base}/${route}?sort=${encodeURIComponent('"EngagementScore" DESC, (SELECT 1)')}`,
        `${base}/${route}?order=${encodeURIComponent('desc; --')}`,
        `${base}/${route}?columns=${encodeURIComponent('AccountName,Secret')}`,
        `${base}/${route}?columns=${encodeURIComponent('AccountName,* FROM duckdb_settings() --')}`,
        `${base}/${route}?level=${encodeURIComponent("Year' OR '1'='1")}`,
        `${base}/${route}?period=${encodeURIComponent("2026-01-01'; DROP TABLE x; --")}`,
        `${base}/${route}?scoreMin=${encodeURIComponent('1 OR 1=1')}`,
        `${base}/${route}?scoreMin[$gt]=1`,
        `${base}/${route}?emailDaysMin=${encodeURIComponent('0); DROP TABLE s1_year; --')}`,
        `${base}/${route}?${filterParam({ column: 'EngagementScore', operator: '>', value: '1 OR 1=1' })}`,
        `${base}/${route}?${filterParam({ column: '1=1 OR EngagementScore', operator: '>', value: 1 })}`,
        `${base}/${route}?${filterParam({ column: 'EngagementScore', operator: '> 0 OR', value: 1 })}`,
        `${base}/${route}?${filterParam({ column: 'EngagementScore', operator: '>', value: { $gt: 0 } })}`,
        `${base}/${route}?${filterParam({ column: 'EngagementStartDate', operator: '>', value: "2025-01-01' OR '1'='1" })}`,
        `${base}/${route}?filter=${encodeURIComponent('{"$where":"1"}')}`,
        `${base}/${route}?filter=${encodeURIComponent(JSON.stringify([0, 1, 2, 3, 4].reduce<unknown>((inner) => ({ type: 'group', combinator: 'or', children: [inner] }), condition({ column: 'EngagementScore', operator: '>', value: 1 }))))}`,
        `${base}/${route}?search=${'x'.repeat(101)}`,
        `${base}/${route}?unknownParam=1`,
      ]),
      `${base}/results/rows?limit=1000000000`,
      `${base}/results/rows?limit=-1`,
      `${base}/results/rows?offset=1000000000000`,
      `${base}/results/rows?limit=${encodeURIComponent('50; DROP TABLE s1_year')}`,
      `${base}/results/periods?level=${encodeURIComponent('Week; DROP TABLE s1_year')}`,
      `${base}/results/users?limit=100000000`,
      `${base}/results/rows.parquet?columns=AccountName`,
      `/api/accounts?limit=100000`,
      `/api/accounts?search=${'y'.repeat(101)}`,
      `/api/accounts?enrichmentId=${encodeURIComponent('x'.repeat(101))}`,
      `${base}/measures/attributes?x=1`,
      `/api/enrichments/${encodeURIComponent("enr' OR '1'='1")}/results/rows`,
      `/api/enrichments/${encodeURIComponent("enr' OR '1'='1")}/results/rows.parquet`,
      `${base}/customers/${encodeURIComponent("ACC-000001' OR '1'='1")}`,
      `${base}/customers/${encodeURIComponent('x'.repeat(201))}`,
      `${base}/segments/${encodeURIComponent("seg' OR 1=1")}/members`,
      `${base}/segments/${encodeURIComponent("seg' OR 1=1")}/members.csv`,
    ];
    const wrong: string[] = [];
    for (const path of gets) wrong.push(problemOf(await get(path), `GET ${path.slice(0, 160)}`));

    const posts: Array<[string, unknown]> = [
      ...sql.map((v): [string, unknown] => [`${base}/segments/count`, { root: condition({ column: 'EngagementScore', operator: '>', value: v }) }]),
      [`${base}/segments/count`, { root: condition({ column: 'EngagementScore; DROP TABLE s1_year', operator: '>', value: 1 }) }],
      [`${base}/segments/count`, { root: condition({ column: 'EngagementScore', operator: 'OR', value: 1 }) }],
      [`${base}/segments/count`, { root: { $where: 'true' } }],
      [`${base}/segments/count`, { level: 'Year', root: condition({ column: 'EngagementScore', operator: '>', value: 1 }), extra: "'; DROP" }],
      [`${base}/segments/count`, { period: "2026-01-01'; --", root: condition({ column: 'EngagementScore', operator: '>', value: 1 }) }],
      [`${base}/measures`, { aggregate: 'sum', column: 'EngagementScore); DROP TABLE s1_year; --' }],
      [`${base}/measures`, { aggregate: "sum(EngagementScore) FROM duckdb_settings() --", column: 'EngagementScore' }],
      [`${base}/measures`, { aggregate: 'avg', column: 'AccountName' }],
      [`${base}/measures`, { aggregate: 'count', groupBy: 'Industry" FROM duckdb_settings() --' }],
      [`${base}/measures`, { aggregate: 'count', groupBy: 'attr_1' }],
      [`${base}/measures`, { aggregate: 'count', groupBy: 'Secret' }],
      [`${base}/measures`, { aggregate: 'count', filter: condition({ column: 'NoOfEmails_ToAccount', operator: '>=', value: '0 OR 1=1' }) }],
      [`${base}/measures`, { aggregate: 'count', segmentId: "seg' OR 1=1" }],
      [`${base}/measures`, { aggregate: 'max', column: { $gt: '' } }],
    ];
    for (const [path, body] of posts) wrong.push(problemOf(await post(path, body), `POST ${path} ${JSON.stringify(body).slice(0, 120)}`));

    // Admin writes refuse the same (a segment whose definition carries SQL is never stored).
    for (const v of sql) {
      wrong.push(problemOf(await post(`${base}/segments`, { name: v, definition: { root: condition({ column: 'DaysSinceLastEmail', operator: '>', value: v }) } }, admin), `POST segment ${v}`));
    }
    expect(wrong.filter(Boolean)).toEqual([]);

    expect(await storedResults(h.db)).toEqual(before);
    expect((await get(`${base}/results/rows?limit=500&sort=AccountName&order=asc`).expect(200)).body).toEqual(reference);
  });

  it('when free text carries SQL (a search term, a name compared with =, an account id), then it is matched literally and finds nothing', async () => {
    const before = await storedResults(h.db);
    for (const v of sql) {
      const grid = await get(`${base}/results/rows?search=${encodeURIComponent(v)}`).expect(200);
      expect(grid.body).toMatchObject({ total: 0, items: [] });
      const accounts = await get(`/api/accounts?enrichmentId=${E}&search=${encodeURIComponent(v)}`).expect(200);
      expect(accounts.body).toMatchObject({ total: 0, items: [] });
      const named = await get(`${base}/results/rows?${filterParam({ column: 'AccountName', operator: '=', value: v })}`).expect(200);
      expect(named.body.total).toBe(0);
      const counted = await post(`${base}/segments/count`, { root: condition({ column: 'AccountId', operator: '=', value: v }) }).expect(200);
      expect(counted.body.count).toBe(0);
      const card = await get(`${base}/customers/${encodeURIComponent(v)}`).expect(404);
      expect(card.headers['content-type']).toMatch(/problem\+json/);
    }
    const all = await get(`${base}/results/rows?limit=1`).expect(200);
    expect(all.body.total).toBe(120);
    expect(await storedResults(h.db)).toEqual(before);
  });
});
