import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { IDS } from './sim-test-tenant';
import { TENANT_ID, appToken, control, followPages, graph, startTestSimulator } from './sim-test-helpers';

const pagesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-pages-'));
let sim: RunningSimulator;
let token: string;
const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };
const listing = `/users/${IDS.seller}/messages?$top=4&$select=sentDateTime,from,toRecipients,internetMessageId`;

/** Every page of a listing as the client sees it (bodies, parsed), and what the store reports. */
async function readAll(s: RunningSimulator, t: string) {
  const pages: unknown[] = [];
  let url: string | undefined = listing;
  while (url) {
    const r = await graph(s, t, url, { headers: IMMUTABLE });
    expect(r.status).toBe(200);
    pages.push(r.body);
    url = r.body['@odata.nextLink'];
  }
  return pages;
}

beforeAll(async () => {
  sim = await startTestSimulator({ pageStoreDir: pagesDir });
  token = await appToken(sim);
});
afterAll(async () => {
  await sim?.close();
  fs.rmSync(pagesDir, { recursive: true, force: true });
});

describe('the page store (benchmarks)', () => {
  it('when a listing is primed, then its pages are served from the store with the same content as rendered, nextLinks included', async () => {
    const rendered = await readAll(sim, token);
    expect(rendered.length).toBeGreaterThan(2);
    const primed = await control(sim, `/tenants/${TENANT_ID}/pages/prime`, { requests: [{ url: listing, prefer: IMMUTABLE.Prefer }] });
    expect(primed.status).toBe(200);
    expect(primed.body.pages).toBe(rendered.length);
    await control(sim, '/pages/stats/reset', {});

    const served = await readAll(sim, token);
    expect(served).toEqual(rendered);
    const stats = (await control(sim, '/pages')).body;
    expect(stats.hits).toBe(rendered.length);
    expect(stats.itemsServed).toBe(rendered.reduce((n: number, p: any) => n + p.value.length, 0));
    // A request the store does not hold (another $top) is rendered as usual.
    const other = await followPages(sim, token, listing.replace('$top=4', '$top=5'), IMMUTABLE);
    expect(other.items.map((m: any) => m.internetMessageId)).toEqual(served.flatMap((p: any) => p.value.map((m: any) => m.internetMessageId)));
    expect((await control(sim, '/pages')).body.hits).toBe(rendered.length);
  });

  it('when stored pages are saved and loaded by a simulator on another port, then they name that simulator in their links', async () => {
    expect((await control(sim, '/pages/save', { name: 'northwind-seller' })).status).toBe(200);
    const before = await readAll(sim, token);
    const other = await startTestSimulator({ pageStoreDir: pagesDir });
    try {
      expect(other.url).not.toBe(sim.url);
      const loaded = await control(other, '/pages/load', { name: 'northwind-seller' });
      expect(loaded.body).toMatchObject({ loaded: true, pages: before.length });
      const otherToken = await appToken(other);
      const after = await readAll(other, otherToken);
      expect((await control(other, '/pages')).body.hits).toBe(before.length);
      expect(JSON.stringify(after)).toBe(JSON.stringify(before).split(sim.url).join(other.url));
      expect(JSON.stringify(after)).not.toContain(sim.url);
    } finally {
      await other.close();
    }
  });

  it('when a stored page is asked for inside a $batch, then the batch answer carries it as rendered', async () => {
    const rendered = (await graph(sim, token, listing, { headers: IMMUTABLE })).body;
    const r = await graph(sim, token, '/$batch', {
      method: 'POST',
      body: { requests: [{ id: '1', method: 'GET', url: listing, headers: IMMUTABLE }, { id: '2', method: 'GET', url: `/users/${IDS.admin}?$select=displayName` }] },
    });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.body.responses.map((x: any) => [x.id, x]));
    expect(byId['1']).toMatchObject({ status: 200, body: rendered });
    expect(byId['2'].body.displayName).toBe('Ada Admin');
  });

  it('when a page file name is not a plain name, or the simulator has no page directory, then saving is refused', async () => {
    expect((await control(sim, '/pages/save', { name: '../escape' })).status).toBe(400);
    const bare = await startTestSimulator();
    try {
      expect((await control(bare, '/pages/load', { name: 'northwind-seller' })).status).toBe(501);
    } finally {
      await bare.close();
    }
  });
});
