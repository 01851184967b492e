import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { computeExpectedAggregates } from '../../simulator/src/tenant/expected-aggregates';
import type { SimEvent, TenantSpec } from '../../simulator/src/tenant/tenant.types';
import { control, followPages, graph, startSpecSimulator } from './sim-test-helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SPEC: TenantSpec = {
  tenantId: 'd0000000-0000-4000-8000-0000000000e1', slug: 'fabrikam', displayName: 'Fabrikam', seed: 23, mailboxes: 8, accounts: 12,
  countryLetterCode: 'GB', licensed: true, consentGranted: true, anchor: new Date('2025-09-01T00:00:00Z'), meetingsPerMailboxPerYear: 80,
};
const IMMUTABLE = { Prefer: 'IdType="ImmutableId", odata.maxpagesize=200' };
const windowStart = new Date(SPEC.anchor.getTime() - 365 * DAY).toISOString();
const windowEnd = new Date(SPEC.anchor.getTime() + 365 * DAY).toISOString();

let sim: RunningSimulator;
let token: string;
beforeAll(async () => {
  ({ sim, token } = await startSpecSimulator(SPEC));
});
afterAll(async () => {
  await sim?.close();
});

const handle = () => sim.tenant(SPEC.tenantId);
const sync = (userId: string) => followPages(sim, token, `/users/${userId}/calendarView/delta?startDateTime=${windowStart}&endDateTime=${windowEnd}`, IMMUTABLE);
const nextRound = (deltaLink: string) => followPages(sim, token, deltaLink, IMMUTABLE);
const edit = (body: unknown) => control(sim, `/tenants/${SPEC.tenantId}/calendar/edits`, body);
const at = (ms: number) => new Date(ms).toISOString();
const startOf = (e: { start: { dateTime: string } }) => Date.parse(`${e.start.dateTime.slice(0, 19)}Z`);

/** A meeting `organiser` organised, not cancelled, that another user also holds (the other's copy id too). */
function sharedMeetings(): Array<{ organiser: string; other: string; event: SimEvent; otherEventId: string }> {
  const tenant = handle().tenant;
  const now = handle().now();
  const out: Array<{ organiser: string; other: string; event: SimEvent; otherEventId: string }> = [];
  for (const u of tenant.users.slice(0, SPEC.mailboxes)) {
    for (const e of tenant.mailboxEvents(u.id, { start: new Date(windowStart), end: new Date(windowEnd), visibleAt: now })) {
      if (!e.isOrganizer || e.isCancelled || e.cancelledDateTime || startOf(e) < now.getTime() - 200 * DAY || startOf(e) > now.getTime() + 30 * DAY) continue;
      const other = tenant.users.find((x) => x.id !== u.id && e.attendees.some((a) => a.type !== 'resource' && a.emailAddress.address === x.mail));
      if (!other) continue;
      const copy = tenant.mailboxEvents(other.id, { start: new Date(windowStart), end: new Date(windowEnd), visibleAt: now }).find((x) => x.iCalUId === e.iCalUId);
      if (copy) out.push({ organiser: u.id, other: other.id, event: e, otherEventId: copy.id });
    }
  }
  return out;
}

describe('calendar edits through the control endpoint, seen by calendarView/delta', () => {
  it('when an occurrence is moved, another cancelled and a meeting added, then each holder\'s next round reports exactly those, in Graph\'s shapes', async () => {
    const all = sharedMeetings();
    const busy = all.find((m) => all.filter((x) => x.organiser === m.organiser).length >= 2);
    expect(busy).toBeDefined();
    const [moved, cancelled] = all.filter((m) => m.organiser === busy!.organiser);
    const organiser = moved!.organiser;
    const attendee = moved!.other;
    const first = { organiser: await sync(organiser), attendee: await sync(attendee) };
    expect(first.organiser.items.some((e) => e.id === moved!.event.id)).toBe(true);

    handle().advance(HOUR);
    const newStart = startOf(moved!.event) + 2 * DAY + 3 * HOUR;
    const m = await edit({ kind: 'move', eventId: moved!.otherEventId, startDateTime: at(newStart), endDateTime: at(newStart + 45 * 60_000) });
    expect(m.status).toBe(200);
    expect(m.body.eventIds).toEqual(expect.arrayContaining([moved!.event.id, moved!.otherEventId]));
    const c = await edit({ kind: 'cancel', eventId: cancelled!.event.id });
    expect(c.status).toBe(200);
    const contact = handle().tenant.contacts[0]!.email;
    const organiserMail = handle().tenant.users.find((u) => u.id === organiser)!.mail;
    const attendeeMail = handle().tenant.users.find((u) => u.id === attendee)!.mail;
    const addedStart = handle().now().getTime() + 3 * DAY;
    const a = await edit({ kind: 'add', organizer: organiserMail, attendees: [contact, attendeeMail], startDateTime: at(addedStart), endDateTime: at(addedStart + HOUR) });
    expect(a.status).toBe(200);
    expect(a.body.eventIds).toHaveLength(2);
    handle().advance(HOUR);

    const round = await nextRound(first.organiser.last['@odata.deltaLink']);
    const byId = new Map(round.items.map((e) => [e.id, e]));
    expect(startOf(byId.get(moved!.event.id))).toBe(newStart);
    expect(byId.get(moved!.event.id).type).toMatch(/^(exception|singleInstance)$/);
    // The organiser's own copy of a cancelled meeting is deleted: only its id comes back.
    expect(byId.get(cancelled!.event.id)).toEqual({ '@odata.type': '#microsoft.graph.event', id: cancelled!.event.id, '@removed': { reason: 'deleted' } });
    const added = round.items.find((e) => a.body.eventIds.includes(e.id));
    expect(added).toMatchObject({ isCancelled: false, type: 'singleInstance', isOrganizer: true });
    expect(added.attendees.map((x: any) => x.emailAddress.address)).toEqual(expect.arrayContaining([contact, attendeeMail]));

    const attendeeRound = await nextRound(first.attendee.last['@odata.deltaLink']);
    const theirs = new Map(attendeeRound.items.map((e) => [e.id, e]));
    expect(startOf(theirs.get(moved!.otherEventId))).toBe(newStart);
    expect(attendeeRound.items.some((e) => a.body.eventIds.includes(e.id) && !e['@removed'])).toBe(true);

    // The view itself shows the same state, and the round after shows nothing new.
    const view = await followPages(sim, token, `/users/${organiser}/calendarView?startDateTime=${windowStart}&endDateTime=${windowEnd}&$top=500`, IMMUTABLE);
    expect(startOf(view.items.find((e) => e.id === moved!.event.id))).toBe(newStart);
    expect(view.items.find((e) => e.id === cancelled!.event.id)).toMatchObject({ isCancelled: true });
    const quiet = await nextRound(round.last['@odata.deltaLink']);
    expect(quiet.items).toEqual([]);
  });

  it('when an occurrence is moved out of the sync window, then the next round names it @removed', async () => {
    const { organiser, event } = sharedMeetings()[2]!;
    const first = await sync(organiser);
    const far = Date.parse(windowEnd) + 10 * DAY;
    expect((await edit({ kind: 'move', eventId: event.id, startDateTime: at(far), endDateTime: at(far + HOUR) })).status).toBe(200);
    const round = await nextRound(first.last['@odata.deltaLink']);
    expect(round.items.find((e) => e.id === event.id)).toEqual({ '@odata.type': '#microsoft.graph.event', id: event.id, '@removed': { reason: 'deleted' } });
  });

  it('when a mailbox\'s tokens are expired by name or outlive the TTL, then its delta link answers 410 SyncStateNotFound and another mailbox\'s still works', async () => {
    const users = handle().tenant.users.slice(0, 2).map((u) => u.id);
    const [one, two] = [await sync(users[0]!), await sync(users[1]!)];
    expect((await control(sim, `/tenants/${SPEC.tenantId}/delta-tokens/expire`, { userIds: [users[0]] })).status).toBe(200);
    const gone = await graph(sim, token, one.last['@odata.deltaLink'], { headers: IMMUTABLE });
    expect(gone.status).toBe(410);
    expect(gone.body.error.code).toBe('SyncStateNotFound');
    const still = await graph(sim, token, two.last['@odata.deltaLink'], { headers: IMMUTABLE });
    expect(still.status).toBe(200);

    expect((await control(sim, `/tenants/${SPEC.tenantId}/delta-tokens/ttl`, { ttlMs: 2 * DAY })).status).toBe(200);
    try {
      handle().advance(3 * DAY);
      const aged = await graph(sim, token, still.body['@odata.deltaLink'], { headers: IMMUTABLE });
      expect(aged.status).toBe(410);
    } finally {
      await control(sim, `/tenants/${SPEC.tenantId}/delta-tokens/ttl`, { ttlMs: null });
    }
  });

  it('when an edit names no calendar item or is malformed, then the control endpoint refuses it and nothing changes', async () => {
    const seq = handle().tenant.calendarEdits!.seq;
    const unknown = await edit({ kind: 'cancel', eventId: 'AAMkAnot-an-event' });
    expect(unknown.status).toBe(404);
    const backwards = await edit({ kind: 'add', organizer: handle().tenant.users[0]!.mail, attendees: [], startDateTime: at(Date.parse(windowStart) + DAY), endDateTime: windowStart });
    expect(backwards.status).toBe(400);
    const nobody = await edit({ kind: 'add', organizer: 'someone@elsewhere.example', attendees: ['other@elsewhere.example'], startDateTime: windowStart, endDateTime: windowEnd });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error).toMatch(/Nobody in the organisation/);
    expect((await edit({ kind: 'resize' })).status).toBe(400);
    expect(handle().tenant.calendarEdits!.seq).toBe(seq);
  });

  it('when meetings are cancelled or added, then the oracle counts them as of its as-of: not before the edit, at their start after it', () => {
    const tenant = handle().tenant;
    const selectedUserIds = tenant.users.slice(0, SPEC.mailboxes).map((u) => u.id);
    const account = tenant.accounts.find((acc) => tenant.contacts.some((c) => c.accountId === acc.id))!;
    const contact = tenant.contacts.find((c) => c.accountId === account.id)!.email;
    const yearMeetings = (asOf: number) => {
      const row = computeExpectedAggregates(tenant, { selectedUserIds, asOf: new Date(asOf) }).find((r) => r.AccountId === account.id && r.AggregationLevel === 'Year')!;
      return row.NoOfMeetings_FromAccount + row.NoOfMeetings_ToAccount;
    };
    const before = handle().now().getTime();
    const counted = yearMeetings(before);
    handle().advance(HOUR);
    const editAt = handle().now().getTime();
    tenant.calendarEdits!.edit({ kind: 'add', organizer: tenant.users[0]!.mail, attendees: [contact], startMs: editAt - 5 * DAY, endMs: editAt - 5 * DAY + HOUR }, new Date(editAt));
    // Recorded after the fact: an as-of before the edit does not see it, one after does.
    expect(yearMeetings(before)).toBe(counted);
    expect(yearMeetings(editAt)).toBe(counted + 1);
  });
});
