import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineResultsStore, type MailboxStatePayload } from '../../api/src/runs/output/run-output.store';
import { decodePartial } from '../../api/src/runs/output/partials-codec';
import { Binary } from 'mongodb';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { computeExpectedResult } from '../../simulator/src/tenant/expected-aggregates';
import { EnrichmentsStore } from '../../api/src/enrichments/enrichments.store';
import { scoreTermMismatches } from '../support/score-oracle';
import type { Tenant } from '../../simulator/src/tenant/tenant.types';
import type { TestDatabase } from '../support/mongo';
import { FREE_MAIL_DOMAINS } from '../../api/src/enrichments/enrichment-rules';
import { UnmatchedDomainsStore } from '../../api/src/runs/output/unmatched-domains.store';
import { computeExpectedUnmatchedDomains } from '../../simulator/src/tenant/expected-unmatched-domains';
import { comparable, expectRowsEqualOracle, isEnded, seedEnrichment, startRunFixture, waitForRun, waitForSweep, type RunFixture, type Runtime } from './run-test-support';

let sim: RunningSimulator;
let t: TestDatabase;
let tenant: Tenant;
let tenantId: string;
let datasetId: string;
let runtime: Runtime;
let results: EngineResultsStore;

let f: RunFixture;

beforeAll(async () => {
  f = await startRunFixture('run_oracle');
  ({ sim, t, tenant, tenantId, datasetId, runtime } = f);
  results = new EngineResultsStore(t.db);
});
afterAll(async () => {
  await f?.stop();
});

const selectedOf = (from: number, to: number) => tenant.users.slice(from, to).map((u) => ({ userId: u.id, mail: u.mail }));
const oracle = (selected: Array<{ userId: string }>, asOf: Date, halfLifeDays = 30) =>
  computeExpectedResult(tenant, { selectedUserIds: selected.map((s) => s.userId), asOf, halfLifeDays });
/** Every column equals the oracle's (EngagementScore included), and every score term. */
function expectEqualsOracle(rows: Parameters<typeof expectRowsEqualOracle>[0], expected: ReturnType<typeof oracle>, halfLifeDays = 30): void {
  expectRowsEqualOracle(rows, expected.rows);
  expect(scoreTermMismatches(rows, expected.terms, halfLifeDays).slice(0, 20)).toEqual([]);
}

/** The run's unmatched busy domains equal the oracle's: every domain, count, threshold and the email share. */
async function expectUnmatchedEqualsOracle(runId: string, selected: Array<{ userId: string }>, asOf: Date) {
  const doc = await new UnmatchedDomainsStore(t.db).get(tenantId, runId);
  expect(doc).not.toBeNull();
  const expected = computeExpectedUnmatchedDomains(tenant, { selectedUserIds: selected.map((s) => s.userId), asOf, freeMailDomains: FREE_MAIL_DOMAINS });
  // The demo tenant's strangers write from a few domains that are not in the dataset: some pass the threshold.
  expect(expected.domains.length).toBeGreaterThan(0);
  const { domains, belowThreshold, externalEmails, unmatchedEmails } = doc!;
  expect({ domains: [...domains].sort((a, b) => a.domain.localeCompare(b.domain)), belowThreshold, externalEmails, unmatchedEmails }).toEqual(expected);
  return doc!;
}

/** Counts the partials documents the worker's finalize reads back from the database from now on. */
function countPartialsReadBack(): () => number {
  const output = runtime.worker!.runs.output;
  const read = output.getContribution.bind(output);
  let count = 0;
  output.getContribution = (...args) => {
    count++;
    return read(...args);
  };
  return () => count;
}

/** A new enrichment over users [from, to) and its first run, completed, as of the simulator's clock. */
async function completedFullRun(from: number, to: number) {
  const selected = selectedOf(from, to);
  const e = await seedEnrichment(t.db, tenantId, datasetId, selected);
  const handle = sim.tenant(tenantId);
  const first = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: handle.now() });
  const firstDone = await waitForRun(runtime.runs, first, isEnded);
  expect(firstDone.state).toBe('completed');
  return { selected, e, handle, first, firstDone };
}

/**
 * Calendar changes at the tenant clock's instant, on meetings of the selected mailboxes with
 * customer contacts: two moved (one within the window, one from the past into the coming
 * week), two cancelled, and two added (a past meeting recorded late, one in the coming week).
 */
function editAccountMeetings(userIds: string[]): { moved: number; cancelled: number; added: number } {
  const handle = sim.tenant(tenantId);
  const now = handle.now().getTime();
  const day = 86_400_000;
  const contacts = new Set(tenant.contacts.map((c) => c.email.toLowerCase()));
  const withContact = userIds.flatMap((userId) =>
    tenant
      .mailboxEvents(userId, { start: new Date(now - 300 * day), end: new Date(now - 10 * day), visibleAt: new Date(now) })
      .filter((ev) => !ev.isCancelled && !ev.cancelledDateTime && [ev.organizer, ...ev.attendees].some((p) => contacts.has(p.emailAddress.address.toLowerCase()))),
  );
  const distinct = [...new Map(withContact.map((ev) => [ev.iCalUId, ev])).values()];
  expect(distinct.length).toBeGreaterThanOrEqual(4);
  const edits = tenant.calendarEdits!;
  const at = new Date(now);
  const startOf = (ev: (typeof distinct)[number]) => Date.parse(`${ev.start.dateTime.slice(0, 19)}Z`);
  const [a, b, c, d] = distinct;
  edits.edit({ kind: 'move', eventId: a!.id, startMs: startOf(a!) + 2 * day, endMs: startOf(a!) + 2 * day + 3_600_000 }, at);
  edits.edit({ kind: 'move', eventId: b!.id, startMs: now + 2 * day, endMs: now + 2 * day + 1_800_000 }, at);
  edits.edit({ kind: 'cancel', eventId: c!.id }, at);
  edits.edit({ kind: 'cancel', eventId: d!.id }, at);
  const organiser = tenant.users.find((u) => u.id === userIds[1])!.mail;
  const contact = tenant.contacts.find((x) => x.accountId === tenant.accounts[0]!.id)!.email;
  edits.edit({ kind: 'add', organizer: organiser, attendees: [contact], startMs: now - 20 * day, endMs: now - 20 * day + 3_600_000 }, at);
  edits.edit({ kind: 'add', organizer: contact, attendees: [organiser], startMs: now + 3 * day, endMs: now + 3 * day + 2_700_000 }, at);
  return { moved: 2, cancelled: 2, added: 2 };
}

describe('enrichment runs through MongoDB and agenda', () => {
  it('when a run completes, then every row and column of the output entity, scores and their terms included, equals the oracle, and the user entity lists the mailboxes', async () => {
    const selected = selectedOf(0, 12);
    const e = await seedEnrichment(t.db, tenantId, datasetId, selected);
    const asOf = sim.tenant(tenantId).now();
    const readBack = countPartialsReadBack();
    const run = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf });
    const done = await waitForRun(runtime.runs, run, isEnded);
    // One process read every mailbox: its finalize merged its own copies and read none back.
    expect(readBack()).toBe(0);
    expect(done.state).toBe('completed');
    expect(done.mode).toBe('full');
    expect(done.counters).toMatchObject({ mailboxesTotal: 12, mailboxesDone: 12, mailboxesFailed: 0, mailboxesPending: 0 });
    expect(done.counters.messagesRead).toBeGreaterThan(0);
    expect(done.counters.eventsRead).toBeGreaterThan(0);
    expect(done.summary!.accountsEnriched).toBeGreaterThan(10);
    expect(done.summary!.daysCovered).toBeGreaterThan(300);
    // 12 mailboxes at 6 per shard and a queue window of 6: the merge joined 2 shards and the
    // second half of the mailboxes was enqueued by the first half; finished jobs left the queue.
    expect(done.shards).toBe(2);
    // (agenda removes the finalize job just after its handler returns, so this may take a moment)
    await expect.poll(() => t.db.collection('agenda_jobs').countDocuments({ 'data.runId': run._id }), { timeout: 5000 }).toBe(0);

    const { runId, rows } = await results.currentRows(tenantId, e._id);
    expect(runId).toBe(run._id);
    // The enrichment was stored without a half-life (as every one saved before it existed): 30 days.
    expectEqualsOracle(rows, oracle(selected, asOf));
    await expectUnmatchedEqualsOracle(run._id, selected, asOf);
    for (const level of ['Week', 'Month', 'Year'] as const) expect(rows.some((r) => r.AggregationLevel === level && r.EngagementScore > 0)).toBe(true);
    for (const r of rows) {
      const p = r.ScoreParts;
      expect(p.activity).toBe(p.activityEmailsToAccount + p.activityEmailsFromAccount + p.activityMeetingsByOrganisation + p.activityMeetingsByAccount);
    }

    const users = await results.currentUsers(tenantId, e._id);
    expect(users.map((u) => u.UserId).sort()).toEqual(selected.map((s) => s.userId).sort());
    expect(users.every((u) => u.entityName === 'Office_UserEntity' && u.Mail.includes('@'))).toBe(true);
    // Nothing individual is stored: the partials are swept, and states hold no message ids or subjects.
    await waitForSweep(results, tenantId);
    // The run's work items go in the same sweep, before its partials. (Its progress documents go
    // too, but a worker's last progress beat may write its document again after the sweep: the
    // next run's sweep removes it.)
    const db = runtime.runs.store.runs.db;
    expect(await db.collection('engine_work_items').countDocuments({ tenantId, runId: run._id })).toBe(0);
    const state = await results.states.findOne({ tenantId, runId: run._id });
    // The state's payload is compressed: decode it, so the check reads what is actually kept.
    const payload = await decodePartial<MailboxStatePayload>(state!.data);
    expect(payload.emailColumns.accounts.length).toBeGreaterThan(0);
    expect(JSON.stringify({ ...state, data: payload })).not.toMatch(/internetMessageId|subject|<[^>]+@/i);
  });

  it('when a refresh follows advance(7 days), then it reads only the new week and equals a full run and the oracle', { timeout: 90_000 }, async () => {
    const { selected, e, handle, first, firstDone } = await completedFullRun(20, 26);

    handle.advance(7 * 86_400_000);
    const later = handle.now();
    const refresh = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: later });
    const refreshed = await waitForRun(runtime.runs, refresh, isEnded);
    expect(refreshed).toMatchObject({ state: 'completed', mode: 'refresh', baseRunId: first._id });
    expect(refreshed.counters.mailboxesFullRead).toBe(0);
    expect(refreshed.counters.mailboxesCalendarFullRead).toBe(0);
    expect(refreshed.counters.messagesRead * 10).toBeLessThan(firstDone.counters.messagesRead);
    // The calendar too: only the week's changes come back, not the year.
    expect(refreshed.counters.eventsRead * 10).toBeLessThan(firstDone.counters.eventsRead);
    const refreshRows = (await results.currentRows(tenantId, e._id)).rows;
    expectEqualsOracle(refreshRows, oracle(selected, later));
    const carried = await expectUnmatchedEqualsOracle(refresh._id, selected, later);
    // After "completed" the refresh sweeps its base: the base's states and inputs go, its own states stay (the next refresh's base).
    await waitForSweep(results, tenantId, [first._id]);
    expect(await results.states.countDocuments({ tenantId, runId: refresh._id })).toBe(selected.length);
    expect(await runtime.runs.store.inputs.countDocuments({ tenantId, enrichmentId: e._id })).toBe(1);

    const full = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: later, mode: 'full' });
    const fullDone = await waitForRun(runtime.runs, full, isEnded);
    expect(fullDone).toMatchObject({ state: 'completed', mode: 'full' });
    const fullRows = (await results.currentRows(tenantId, e._id)).rows;
    // Every column, EngagementScore and every score part included, to the last bit.
    expect(comparable(fullRows)).toEqual(comparable(refreshRows));
    const fresh = await expectUnmatchedEqualsOracle(full._id, selected, later);
    expect(fresh.domains).toEqual(carried.domains);
    // Each kept run keeps its own figures.
    await expectUnmatchedEqualsOracle(first._id, selected, firstDone.asOf);
    // Every published run's snapshot is kept (up to RESULTS_SNAPSHOTS_KEPT), newest first, for trends.
    expect((await results.getPointer(tenantId, e._id))!.kept.map((k) => k.runId)).toEqual([full._id, refresh._id, first._id]);
    expect((await results.snapshots.runsOf(tenantId, e._id)).sort()).toEqual([first._id, refresh._id, full._id].sort());
  });

  it('when finalize runs in a process that kept no copy of the partials, then it reads every mailbox back from the database and publishes the same rows', { timeout: 90_000 }, async () => {
    const { e, firstDone } = await completedFullRun(40, 46);
    const withCopies = comparable((await results.currentRows(tenantId, e._id)).rows);
    const local = runtime.worker!.runs.localPartials;
    const take = local.take.bind(local);
    // As if another process had read the mailboxes: this one's copies are dropped when finalize asks.
    local.take = (runId) => {
      take(runId)?.byShard.dispose();
      return undefined;
    };
    const readBack = countPartialsReadBack();
    try {
      const again = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: firstDone.asOf, mode: 'full' });
      expect(await waitForRun(runtime.runs, again, isEnded)).toMatchObject({ state: 'completed', mode: 'full' });
    } finally {
      local.take = take;
    }
    expect(readBack()).toBe(6);
    expect(comparable((await results.currentRows(tenantId, e._id)).rows)).toEqual(withCopies);
  });

  it('when an earlier sweep was cut short, then the next run\'s sweep deletes what it left', { timeout: 90_000 }, async () => {
    const { selected, e, handle, first } = await completedFullRun(26, 30);
    await waitForSweep(results, tenantId);
    // What a sweep cut short by a crash leaves: a superseded run's inputs (deleted last), one of its states, one of its partials.
    const left = 'run_sweep_cut_short';
    await runtime.runs.store.putInputs(tenantId, e._id, left, (await runtime.runs.store.getInputs(tenantId, first._id))!);
    const userId = selected[0]!.userId;
    const ids = { tenantId, enrichmentId: e._id, runId: left };
    await results.states.insertOne({ _id: EngineResultsStore.stateId(left, userId), ...ids, userId, asOf: new Date(0), data: new Binary(Buffer.from([0])), messagesRead: 0, eventsRead: 0, emailsCounted: 0, meetingsCounted: 0, fullRead: true });
    await results.contributions.insertOne({ _id: EngineResultsStore.contributionId(left, 0), ...ids, index: 0, shards: [], lengths: [], data: new Binary(Buffer.alloc(0)) });

    // At the same as-of (the tenant's clock is shared with the other tests), so a full run: it supersedes the first run all the same.
    const next = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: handle.now() });
    expect((await waitForRun(runtime.runs, next, isEnded)).state).toBe('completed');
    await waitForSweep(results, tenantId, [first._id, left]);
    expect((await runtime.runs.store.inputs.find({ tenantId, enrichmentId: e._id }).toArray()).map((i) => i._id)).toEqual([next._id]);
    expect(await results.states.countDocuments({ tenantId, runId: next._id })).toBe(selected.length);
  });

  it('when meetings are moved, cancelled and added and one mailbox\'s calendar sync expires, then the refresh applies the changes, reads that calendar in full, and equals a full run and the oracle', { timeout: 120_000 }, async () => {
    const { selected, e, handle, first } = await completedFullRun(26, 32);
    const before = oracle(selected, handle.now());

    const changes = editAccountMeetings(selected.map((s) => s.userId));
    // The first selected mailbox's sync state is gone (Graph answers 410 syncStateNotFound).
    handle.expireDeltaTokens([selected[0]!.userId]);
    handle.advance(7 * 86_400_000);
    const later = handle.now();
    const expected = oracle(selected, later);
    // The edits matter: the oracle's meeting counts moved.
    const meetings = (o: typeof expected) => o.rows.filter((r) => r.AggregationLevel === 'Year').reduce((n, r) => n + r.NoOfMeetings_FromAccount + r.NoOfMeetings_ToAccount, 0);
    expect(meetings(expected)).not.toBe(meetings(before));

    const refresh = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: later });
    const refreshed = await waitForRun(runtime.runs, refresh, isEnded);
    expect(refreshed).toMatchObject({ state: 'completed', mode: 'refresh', baseRunId: first._id });
    expect(refreshed.counters.mailboxesCalendarFullRead).toBe(1);
    const refreshRows = (await results.currentRows(tenantId, e._id)).rows;
    expectEqualsOracle(refreshRows, expected);
    expect(changes.moved).toBeGreaterThan(0);

    const full = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: later, mode: 'full' });
    expect((await waitForRun(runtime.runs, full, isEnded)).state).toBe('completed');
    expect(comparable((await results.currentRows(tenantId, e._id)).rows)).toEqual(comparable(refreshRows));
  });

  it('when a second run is started while one is active, then it is refused with 409 and nothing changes; cancel keeps the previous result', async () => {
    const selected = selectedOf(34, 40);
    const e = await seedEnrichment(t.db, tenantId, datasetId, selected);
    const asOf = sim.tenant(tenantId).now();
    const first = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf });
    expect((await waitForRun(runtime.runs, first, isEnded)).state).toBe('completed');
    const before = (await results.currentRows(tenantId, e._id)).rows;

    // Slow Graph down so the next run is still reading when it is cancelled (live counters
    // arrive with each worker's progress beat, about once a second, so the run must last longer).
    sim.setFaults({ latencyMs: 1500 });
    try {
      const second = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf, mode: 'full' });
      const runsBefore = await runtime.runs.store.runs.countDocuments({ tenantId, enrichmentId: e._id });
      await expect(runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf })).rejects.toMatchObject({
        code: 'conflict',
        detail: expect.stringContaining(second._id),
      });
      expect(await runtime.runs.store.runs.countDocuments({ tenantId, enrichmentId: e._id })).toBe(runsBefore);

      await waitForRun(runtime.runs, second, (r) => r.state === 'running' && r.counters.messagesRead > 0);
      const cancelled = await runtime.runs.cancel(tenantId, e._id, second._id, 'u1');
      expect(cancelled.state).toBe('cancelled');
      await expect(runtime.runs.cancel(tenantId, e._id, second._id, 'u1')).rejects.toMatchObject({ code: 'conflict' });
      // Jobs still in flight notice the cancel at their next page, take back what they wrote and
      // give up their leases: wait for that state.
      const leasesOfSecond = async () => (await runtime.runs.coordination.leases.find({ tenantId }).toArray()).filter((l) => l._id.startsWith(`${second._id}:`)).length;
      for (const until = Date.now() + 45_000; (await leasesOfSecond()) > 0; ) {
        if (Date.now() > until) throw new Error('the cancelled run still holds leases after 45 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      const after = await results.currentRows(tenantId, e._id);
      expect(after.runId).toBe(first._id);
      expect(comparable(after.rows)).toEqual(comparable(before));
      expect(await results.contributions.countDocuments({ tenantId, runId: second._id })).toBe(0);
      expect(await results.states.countDocuments({ tenantId, runId: second._id })).toBe(0);
      expect(await runtime.runs.coordination.getLock(tenantId, e._id)).toBeNull();
    } finally {
      sim.setFaults({ latencyMs: 0 });
    }
  });

  it('when consent is missing or the as-of is not a whole past hour, then the start is refused and nothing is stored', async () => {
    const selected = selectedOf(0, 3);
    const noConsent = await seedEnrichment(t.db, tenantId, datasetId, selected, { consented: false });
    await expect(runtime.runs.start({ tenantId, enrichmentId: noConsent._id, trigger: 'manual', requestedBy: 'u1' })).rejects.toMatchObject({ code: 'consent-required' });
    const e = await seedEnrichment(t.db, tenantId, datasetId, selected);
    const now = sim.tenant(tenantId).now().getTime();
    await expect(runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: new Date(now - 1_800_000) })).rejects.toMatchObject({ code: 'validation', detail: expect.stringMatching(/whole UTC hour/) });
    await expect(runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: new Date(now + 3_600_000) })).rejects.toMatchObject({ code: 'validation', detail: expect.stringMatching(/future/) });
    expect(await runtime.runs.store.runs.countDocuments({ tenantId, enrichmentId: { $in: [noConsent._id, e._id] } })).toBe(0);
    expect(await runtime.runs.coordination.locks.countDocuments({ tenantId, enrichmentId: { $in: [noConsent._id, e._id] } })).toBe(0);
  });
  // Last: it adds two runs' rows that the other tests' clean-ups would otherwise scan again.
  it('when the half-life changes, then the next run is full and scores with the new half-life', { timeout: 240_000 }, async () => {
    const selected = selectedOf(26, 29);
    const e = await seedEnrichment(t.db, tenantId, datasetId, selected, { halfLifeDays: 60 });
    const handle = sim.tenant(tenantId);
    const asOf = handle.now();
    const first = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf });
    expect(await waitForRun(runtime.runs, first, isEnded, 110_000)).toMatchObject({ state: 'completed', mode: 'full' });
    expectEqualsOracle((await results.currentRows(tenantId, e._id)).rows, oracle(selected, asOf, 60), 60);

    await new EnrichmentsStore(t.db).update(tenantId, e._id, e.version, { halfLifeDays: 7 });
    handle.advance(86_400_000);
    const later = handle.now();
    const next = await runtime.runs.start({ tenantId, enrichmentId: e._id, trigger: 'manual', requestedBy: 'u1', asOf: later });
    const done = await waitForRun(runtime.runs, next, isEnded, 110_000);
    expect(done).toMatchObject({ state: 'completed', mode: 'full', baseRunId: null });
    expect(done.counters.mailboxesFullRead).toBe(selected.length);
    const rows = (await results.currentRows(tenantId, e._id)).rows;
    expectEqualsOracle(rows, oracle(selected, later, 7), 7);
  });
});
