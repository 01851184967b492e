import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineResultsStore } from '../../api/src/runs/output/run-output.store';
import { createLogger } from '../../api/src/platform/logger/logger';
import { resultRows } from '../../api/src/platform/duckdb/duckdb-pool';
import { ResultsRuntime } from '../../api/src/results/results-runtime';
import { withSnapshotFile } from '../../api/src/snapshots/snapshot-file';
import { CONTOSO_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { startAdminHarness, type AdminTestHarness } from './enrichments-test-support';
import { publishRows, seededRows, seedResult, type GeneratedRow } from './results-test-support';

/**
 * Snapshots as a reader sees them: loaded on demand and evicted by size, the runs an enrichment
 * keeps (opened together, e.g. to compare two runs), the Parquet download of the whole entity,
 * and customer search by substring of name, id or domain regardless of case and accents.
 */
let h: AdminTestHarness;
let seller: string;
const T = CONTOSO_TENANT_ID;
const get = (path: string) => request(h.app).get(path).set('Authorization', `Bearer ${seller}`);

beforeAll(async () => {
  h = await startAdminHarness('results-snapshots');
  seller = await h.tokenFor(T, h.persona(T, 'seller'));
}, 60_000);
afterAll(() => h?.close());

describe('result snapshots', () => {
  it('when more snapshots are read than the memory budget holds, then the least recently used are dropped and read again on demand, with the same answers', { timeout: 120_000 }, async () => {
    const runtime = new ResultsRuntime(h.db, createLogger('silent'), { cacheMb: 1, pollMs: 60_000 });
    try {
      const seeds = [0, 1, 2].map((k) => ({ enrichmentId: `enr_lru_${k}`, runId: `run_lru_${k}`, accounts: 3000 + k, activeShare: 0.1, seed: 20 + k }));
      for (const s of seeds) await seedResult(h.db, { tenantId: T, ...s });
      const totalOf = async (enrichmentId: string) => {
        const view = await runtime.enrichment(T, enrichmentId);
        return runtime.withCurrent(view, async (snapshot) => {
          const pool = await runtime.pool();
          return Number(resultRows(await pool.query(`SELECT count(*) FROM ${snapshot.year}`))[0]![0]);
        });
      };
      for (const s of seeds) expect(await totalOf(s.enrichmentId)).toBe(s.accounts);
      // Each snapshot is larger than 1 MiB: only the most recently used one stays.
      await expect.poll(() => runtime.snapshots.loaded().map((l) => l.runId), { timeout: 20_000 }).toEqual(['run_lru_2']);
      expect(runtime.snapshots.loaded()[0]!.sizeBytes).toBeGreaterThan(1024 * 1024);
      expect(await totalOf('enr_lru_0')).toBe(3000);
      await expect.poll(() => runtime.snapshots.loaded().map((l) => l.runId), { timeout: 20_000 }).toEqual(['run_lru_0']);
    } finally {
      await runtime.close();
    }
  });

  it('when runs are published one after another, then the pointer keeps the last N, older snapshots are deleted, and two kept runs can be opened together', async () => {
    const E = 'enr_kept';
    const store = new EngineResultsStore(h.db);
    const options = (k: number) => ({ accounts: 80, activeShare: 0.2, seed: 40 + k, asOf: new Date(Date.UTC(2026, 2, 2 + 7 * k)) });
    await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_k0', ...options(0), keep: 2, publish: h.results.published });
    for (const k of [1, 2]) {
      await publishRows(h.db, { tenantId: T, enrichmentId: E, runId: `run_k${k}`, asOf: options(k).asOf, keep: 2, publish: h.results.published }, seededRows(options(k)));
      await store.pruneBefore(T, E, `run_k${k}`);
    }
    const pointer = await store.getPointer(T, E);
    expect(pointer!.kept.map((k) => [k.runId, k.asOf.toISOString()])).toEqual([
      ['run_k2', options(2).asOf.toISOString()],
      ['run_k1', options(1).asOf.toISOString()],
    ]);
    expect((await store.snapshots.runsOf(T, E)).sort()).toEqual(['run_k1', 'run_k2']);
    expect((await h.results.keptRuns(T, E)).map((k) => k.runId)).toEqual(['run_k2', 'run_k1']);

    // The score change since the previous run, per account, by joining the two kept snapshots.
    const change = await h.results.withKeptRuns(T, E, ['run_k2', 'run_k1'], async ([now, before], pool) =>
      resultRows(await pool.query(`SELECT n.AccountId, n.EngagementScore - b.EngagementScore FROM ${now!.year} n JOIN ${before!.year} b USING (AccountId) ORDER BY n.AccountId`)).map(([id, d]) => [id, Number(d)]),
    );
    const previous = new Map(seededRows(options(1), 'Year').map((r) => [r.AccountId, r.EngagementScore]));
    expect(change).toEqual(seededRows(options(2), 'Year').map((r) => [r.AccountId, r.EngagementScore - previous.get(r.AccountId)!]));
    await expect(h.results.withKeptRuns(T, E, ['run_k0'], async () => 1)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('when a data team downloads the entity as Parquet, then it holds every row with the score parts, domains and attributes under their names', async () => {
    const E = 'enr_parquet';
    const seed = { accounts: 150, activeShare: 0.3, weeks: 5, months: 3 };
    await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_pq', ...seed });
    const res = await get(`/api/enrichments/${E}/results/rows.parquet`).buffer(true).parse((r, done) => {
      const parts: Buffer[] = [];
      r.on('data', (c: Buffer) => parts.push(c));
      r.on('end', () => done(null, Buffer.concat(parts)));
    }).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.apache.parquet');
    expect(res.headers['content-disposition']).toContain('Office.parquet');
    const rows = seededRows(seed);
    const read = await withSnapshotFile(res.body as Buffer, async (c, source) => {
      const columns = resultRows(await c.run(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${source})`)).map((r) => r[0]);
      const [count] = resultRows(await c.run(`SELECT count(*), sum(EngagementScore), count(DaysSinceLastEmail), sum(ScorePart_raw) FROM ${source}`));
      const industries = resultRows(await c.run(`SELECT AccountId, Industry, AccountDomains FROM ${source} WHERE AggregationLevel = 'Year' ORDER BY AccountId LIMIT 4`));
      return { columns, count: count!.map(Number), industries: industries.map(([id, industry, domains]) => [id, industry, (domains as { items?: string[] } | null)?.items ?? null]) };
    });
    expect(read.columns).toEqual(expect.arrayContaining(['AccountId', 'AggregationLevel', 'EngagementScore', 'DaysSinceLastEmail', 'ScorePart_raw', 'AccountDomains', 'Industry']));
    expect(read.columns).not.toContain('SearchKey');
    expect(read.count[0]).toBe(rows.length);
    expect(read.count[1]).toBe(rows.reduce((a, r) => a + r.EngagementScore, 0));
    expect(read.count[2]).toBe(rows.filter((r) => r.DaysSinceLastEmail !== null).length);
    expect(read.count[3]).toBeCloseTo(rows.reduce((a, r) => a + r.ScoreParts.raw, 0), 6);
    expect(read.industries).toEqual([
      ['ACC-000000', null, null],
      ['ACC-000001', 'Manufacturing', ['acct1.example.org']],
      ['ACC-000002', 'Finance', ['acct2.example.org']],
      ['ACC-000003', null, null],
    ].map(([id, industry, domains], i) => (i === 3 ? [id, 'Health', domains] : [id, industry, domains])));
    await get(`/api/enrichments/enr_nothing_yet/results/rows.parquet`).expect(404);
  });

  it('when a seller searches customers, then a substring of the name, id or a domain matches regardless of case and accents, names first, then ids and domains that start with it', async () => {
    const E = 'enr_search';
    const names = ['Société Générale', 'Café Zürich', 'Zurich Insurance', 'Åland Bank', 'Generali', 'Contoso Café', 'Northwind'];
    const domains: Record<string, string[]> = { 'ACC-000004': ['generali.example'], 'ACC-000006': ['zurich-nw.example', 'nw.example'] };
    const template = seededRows({ accounts: names.length, activeShare: 0 }, 'Year');
    const rows: GeneratedRow[] = template.map((r, i) => ({ ...r, AccountName: names[i]! }));
    await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_s0', accounts: 0, flip: false });
    await publishRows(h.db, { tenantId: T, enrichmentId: E, runId: 'run_search' }, rows, (r) => ({ domains: domains[r.AccountId] ?? [], attributes: {} }));
    const search = async (term: string) => (await get(`/api/accounts?enrichmentId=${E}&search=${encodeURIComponent(term)}`).expect(200)).body as { total: number; items: Array<{ name: string }> };
    const namesOf = async (term: string) => (await search(term)).items.map((i) => i.name);
    // Names that start with it first, then ids or domains that start with it, then the rest (each by name).
    expect(await namesOf('zurich')).toEqual(['Zurich Insurance', 'Northwind', 'Café Zürich']);
    expect(await namesOf('ZÜRICH')).toEqual(['Zurich Insurance', 'Northwind', 'Café Zürich']);
    expect(await namesOf('nw')).toEqual(['Northwind']);
    expect(await namesOf('generale')).toEqual(['Société Générale']);
    expect(await namesOf('GENER')).toEqual(['Generali', 'Société Générale']);
    expect(await namesOf('cafe')).toEqual(['Café Zürich', 'Contoso Café']);
    expect(await namesOf('aland')).toEqual(['Åland Bank']);
    expect(await namesOf('generali.example')).toEqual(['Generali']);
    expect(await namesOf('acc-000003')).toEqual(['Åland Bank']);
    expect(await namesOf('ACC-00000')).toHaveLength(7);
    expect(await namesOf('nothing like it')).toEqual([]);
    // The grid's search uses the same matching.
    const grid = await get(`/api/enrichments/${E}/results/rows?search=${encodeURIComponent('Zürich')}&sort=AccountName&order=asc`).expect(200);
    expect(grid.body.items.map((r: { AccountName: string }) => r.AccountName)).toEqual(['Café Zürich', 'Northwind', 'Zurich Insurance']);
  });
});
