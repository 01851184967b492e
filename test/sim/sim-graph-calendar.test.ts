import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { ANCHOR, HOUR, IDS } from './sim-test-tenant';
import { TENANT_ID, appToken, control, followPages, graph, startTestSimulator } from './sim-test-helpers';

let sim: RunningSimulator;
let token: string;
const DAY = 24 * HOUR;
const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };
const start = new Date(ANCHOR.getTime() - 60 * DAY).toISOString();
const end = new Date(ANCHOR.getTime() + 30 * DAY).toISOString();
const view = `/users/${IDS.seller}/calendarView?startDateTime=${start}&endDateTime=${end}`;

beforeAll(async () => {
  sim = await startTestSimulator();
  token = await appToken(sim);
});
afterAll(async () => {
  await sim?.close();
});

describe('calendarView', () => {
  it('when a window is listed, then occurrences, exceptions and singles come back but never the series master', async () => {
    const { items } = await followPages(sim, token, `${view}&$top=3&$select=type,seriesMasterId,start,isCancelled`, IMMUTABLE);
    const ids = items.map((e) => e.id).sort();
    expect(ids).toEqual(['att-cancel', 'exc-1', 'occ-1', 'occ-2', 'org-cancel', 'single-1']);
    expect(items.find((e) => e.id === 'exc-1')).toMatchObject({ type: 'exception', seriesMasterId: 'master-1' });
    expect(items.some((e) => e.type === 'seriesMaster')).toBe(false);
  });

  it('when the window is missing or longer than 1,825 days, then 400 ErrorInvalidParameter', async () => {
    const missing = await graph(sim, token, `/users/${IDS.seller}/calendarView`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('ErrorInvalidParameter');
    const tooLong = await graph(sim, token, `/users/${IDS.seller}/calendarView?startDateTime=2020-01-01T00:00:00Z&endDateTime=2025-01-01T00:00:00Z`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('Maximum number of days: 1825');
    const justFits = await graph(sim, token, `/users/${IDS.seller}/calendarView?startDateTime=2020-01-01T00:00:00Z&endDateTime=2024-12-30T00:00:00Z`);
    expect(justFits.status).toBe(200);
  });

  it('when Calendars.ReadBasic.All selects the body, then 403; unselected events omit body and bodyPreview', async () => {
    const denied = await graph(sim, token, `${view}&$select=subject,body`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('ErrorAccessDenied');
    const all = await graph(sim, token, view);
    expect(all.status).toBe(200);
    for (const e of all.body.value) {
      expect(e).not.toHaveProperty('body');
      expect(e).not.toHaveProperty('bodyPreview');
      expect(e).not.toHaveProperty('cancelledDateTime');
      expect(e).not.toHaveProperty('mailboxUserId');
    }
  });

  it('when ids are not asked to be immutable, then the regular id form is returned for events and series masters', async () => {
    const r = await graph(sim, token, `${view}&$top=50&$select=seriesMasterId`);
    const exc = r.body.value.find((e: any) => e.seriesMasterId !== null);
    expect(exc.id).not.toMatch(/^(occ|exc)-/);
    expect(exc.seriesMasterId).not.toBe('master-1');
  });
});

describe('calendarView delta', () => {
  it('when $select is sent, then it is ignored and full events (minus body) come back; later rounds return only changes', async () => {
    const first = `/users/${IDS.seller}/calendarView/delta?startDateTime=${start}&endDateTime=${end}&$select=subject`;
    const round1 = await followPages(sim, token, first, { Prefer: 'IdType="ImmutableId", odata.maxpagesize=2' });
    expect(round1.pages).toBe(3);
    expect(round1.items.map((e) => e.id).sort()).toEqual(['att-cancel', 'exc-1', 'occ-1', 'occ-2', 'org-cancel', 'single-1']);
    for (const e of round1.items) {
      expect(e).toHaveProperty('attendees');
      expect(e).toHaveProperty('organizer');
      expect(e).toHaveProperty('start');
      expect(e).not.toHaveProperty('body');
    }

    await control(sim, `/tenants/${TENANT_ID}/clock`, { advanceMs: 3 * HOUR });
    const round2 = await followPages(sim, token, round1.last['@odata.deltaLink'], IMMUTABLE);
    const byId = Object.fromEntries(round2.items.map((e) => [e.id, e]));
    expect(Object.keys(byId).sort()).toEqual(['att-cancel', 'new-1', 'org-cancel']);
    expect(byId['att-cancel']).toMatchObject({ isCancelled: true });
    expect(byId['org-cancel']).toEqual({ '@odata.type': '#microsoft.graph.event', id: 'org-cancel', '@removed': { reason: 'deleted' } });
    expect(byId['new-1']).toMatchObject({ isCancelled: false, type: 'singleInstance' });

    const round3 = await followPages(sim, token, round2.last['@odata.deltaLink'], IMMUTABLE);
    expect(round3.items).toEqual([]);
  });

  it('when calendarView/delta has no window, then 400', async () => {
    const r = await graph(sim, token, `/users/${IDS.seller}/calendarView/delta`);
    expect(r.status).toBe(400);
  });
});
