import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTOSO_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../support/simulator';
import { startAdminHarness, type AdminTestHarness } from './enrichments-test-support';
import { atLeastDays, sortedRows } from './results-expectations';
import { seededRows, seedResult, type GeneratedRow } from './results-test-support';

/**
 * Publishing a new result while sellers read: every answer is entirely the old run's or
 * entirely the new run's, in this process (told of the publish at once) and in a second API
 * process (a real `api/src/main.ts` with ROLE=api, which learns of it by polling the pointers);
 * and the two processes give the same answers, the snapshot in MongoDB being the only state
 * they share.
 */
let h: AdminTestHarness;
let seller: string;
let child: ChildProcess | null = null;
let childOrigin = '';
const T = CONTOSO_TENANT_ID;
const E = 'enr_publish_test';
const RUN_A = { accounts: 300, activeShare: 0.2, weeks: 3, months: 2, seed: 1 };
const RUN_B = { accounts: 340, activeShare: 0.2, weeks: 3, months: 2, seed: 2 };
const yearOf = (o: typeof RUN_A) => seededRows(o, 'Year');
const expected: Record<string, GeneratedRow[]> = { run_a: yearOf(RUN_A), run_b: yearOf(RUN_B) };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  h = await startAdminHarness('results-publish');
  seller = await h.tokenFor(T, h.persona(T, 'seller'));
  await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_a', ...RUN_A, publish: h.results.published });
  const port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    env: {
      ...process.env,
      ROLE: 'api',
      APP_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      MONGODB_URI: process.env.MONGODB_URI,
      MONGODB_DB: h.db.databaseName,
      AUTH_CLIENT_ID: TEST_CLIENT_ID,
      AUTH_CLIENT_SECRET: TEST_CLIENT_SECRET,
      AUTH_AUTHORITY_HOST: h.sim.url,
      GRAPH_BASE_URL: h.sim.url,
      RESULTS_POINTER_POLL_MS: '200',
      // The same public URL as this process's: paging links (nextLink) are built on it.
      PUBLIC_URL: 'http://localhost:3999',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  childOrigin = `http://127.0.0.1:${port}`;
  // Wait until it listens (or has died).
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the second API process exited with ${child.exitCode}`);
    if ((await fetch(`${childOrigin}/healthz`).catch(() => null))?.status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
}, 90_000);
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await h?.close();
});

type Answer = { status: number; body: Record<string, unknown> & { runId?: string } };
const here = async (path: string, body?: unknown): Promise<Answer> => {
  const req = body === undefined ? request(h.app).get(path) : request(h.app).post(path).send(body as object);
  const res = await req.set('Authorization', `Bearer ${seller}`);
  return { status: res.status, body: res.body };
};
const there = async (path: string, body?: unknown): Promise<Answer> => {
  const res = await fetch(childOrigin + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${seller}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
};

/** What a run's answer must be, from that run's generated rows; '' when the answer is exactly that. */
function mismatch(kind: string, i: number, a: Answer): string {
  if (a.status !== 200) return `${kind} ${i}: HTTP ${a.status}`;
  const rows = expected[a.body.runId as string];
  if (!rows) return `${kind} ${i}: unknown run ${a.body.runId}`;
  if (kind === 'page') {
    const offset = (i % 5) * 50;
    const want = sortedRows(rows, 'EngagementScore', 'desc').slice(offset, offset + 50).map((r) => `${r.AccountId}:${r.EngagementScore}:${r.DaysSinceLastEmail}`);
    const got = (a.body.items as GeneratedRow[]).map((r) => `${r.AccountId}:${r.EngagementScore}:${r.DaysSinceLastEmail}`);
    return a.body.total === rows.length && JSON.stringify(got) === JSON.stringify(want) ? '' : `${kind} ${i}: rows of neither run (${a.body.runId})`;
  }
  const threshold = 20 + (i % 50);
  const want = rows.filter((r) => atLeastDays(r.DaysSinceLastEmail, threshold + 1)).length;
  return a.body.count === want && a.body.total === rows.length ? '' : `${kind} ${i}: count ${String(a.body.count)}/${String(a.body.total)} is neither run's (${a.body.runId})`;
}

const pagePath = (i: number) => `/api/enrichments/${E}/results/rows?limit=50&offset=${(i % 5) * 50}`;
const countBody = (i: number) => ({ root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'DaysSinceLastEmail', operator: '>', value: 20 + (i % 50) }] } });

describe('publishing while sellers read', () => {
  it('when a new run is published during reads, then every answer in both API processes is wholly the old or the new run, and both end on the new one', { timeout: 120_000 }, async () => {
    const seen = { here: new Set<string>(), there: new Set<string>() };
    const wrong: string[] = [];
    let stop = false;
    const reader = async (side: 'here' | 'there') => {
      const call = side === 'here' ? here : there;
      for (let i = 0; !stop; i++) {
        const [page, count] = await Promise.all([call(pagePath(i)), call(`/api/enrichments/${E}/segments/count`, countBody(i))]);
        for (const [kind, a] of [['page', page], ['count', count]] as const) {
          const m = mismatch(kind, i, a);
          if (m) wrong.push(`${side} ${m}`);
          else seen[side].add(a.body.runId as string);
        }
      }
    };
    const readers = [reader('here'), reader('there'), reader('there')];
    // Both processes answer with the old run before the publish…
    await expect.poll(() => seen.here.has('run_a') && seen.there.has('run_a'), { timeout: 30_000 }).toBe(true);
    await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: 'run_b', ...RUN_B, withEnrichment: false, publish: h.results.published });
    // …and with the new one after it (the second process within its poll interval).
    await expect.poll(() => seen.here.has('run_b') && seen.there.has('run_b'), { timeout: 60_000 }).toBe(true);
    stop = true;
    await Promise.all(readers);
    expect(wrong).toEqual([]);
    expect((await here(pagePath(0))).body.runId).toBe('run_b');
  });

  it('when the same questions go to both API processes, then the answers are the same', { timeout: 60_000 }, async () => {
    await expect.poll(async () => (await there(pagePath(0))).body.runId, { timeout: 30_000 }).toBe('run_b');
    const gets = [
      pagePath(3),
      `/api/enrichments/${E}/results/rows?sort=DaysSinceLastMeeting&order=asc&limit=40&offset=80&columns=AccountName,DaysSinceLastMeeting,EngagementScore`,
      `/api/enrichments/${E}/results/rows?level=Week&limit=100&sort=NoOfEmails_ToAccount`,
      `/api/enrichments/${E}/results/rows?search=north&emailDaysMin=30`,
      `/api/enrichments/${E}/results/periods?level=Month`,
      `/api/enrichments/${E}/customers/ACC-000042`,
      `/api/accounts?enrichmentId=${E}&search=tail&limit=20`,
      `/api/accounts?search=acct1`,
      `/api/enrichments/${E}/measures/attributes`,
    ];
    for (const path of gets) {
      const [a, b] = await Promise.all([here(path), there(path)]);
      expect(a.status, path).toBe(200);
      expect(b, path).toEqual(a);
    }
    const posts: Array<[string, unknown]> = [
      [`/api/enrichments/${E}/segments/count`, countBody(7)],
      [`/api/enrichments/${E}/measures`, { aggregate: 'median', column: 'NoOfEmails_ToAccount', groupBy: 'Industry' }],
      [`/api/enrichments/${E}/measures`, { aggregate: 'avg', column: 'EngagementScore', level: 'Month' }],
    ];
    for (const [path, body] of posts) {
      const [a, b] = await Promise.all([here(path, body), there(path, body)]);
      expect(a.status, path).toBe(200);
      expect(b, path).toEqual(a);
    }
  });
});
