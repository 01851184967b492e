import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENDA_COLLECTION, JOB } from '../../api/src/runs/jobs/job-queue';
import type { RunningSimulator } from '../../simulator/src/simulator';
import type { Tenant } from '../../simulator/src/tenant/tenant.types';
import type { TestDatabase } from '../support/mongo';
import { isEnded, seedEnrichment, startRunFixture, waitForRun, type RunFixture, type Runtime } from './run-test-support';

let sim: RunningSimulator;
let t: TestDatabase;
let tenant: Tenant;
let tenantId: string;
let datasetId: string;
let runtime: Runtime;
const HOUR = 3_600_000;

let f: RunFixture;

beforeAll(async () => {
  f = await startRunFixture('run_schedule');
  ({ sim, t, tenant, tenantId, datasetId, runtime } = f);
  // The worker sweeps once when it starts (then hourly). On a busy machine that first sweep can
  // come late and store a schedule the test expects to plant itself: wait until it has run.
  const sweep = () => t.db.collection(AGENDA_COLLECTION).findOne({ name: JOB.scheduleSweep });
  while (!(await sweep())?.lastFinishedAt) await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => {
  await f?.stop();
});

const job = (enrichmentId: string) => t.db.collection(AGENDA_COLLECTION).findOne({ name: JOB.scheduledRun, 'data.enrichmentId': enrichmentId });

describe('run schedule', () => {
  it('when consent is recorded, then the first run is planned 6 hours later and repeats weekly; the admin can change it or turn it off', async () => {
    const decidedAt = new Date(Date.now() - 60_000);
    const e = await seedEnrichment(t.db, tenantId, datasetId, tenant.users.slice(0, 3).map((u) => ({ userId: u.id, mail: u.mail })), { decidedAt });
    // Reading the schedule shows the plan but stores nothing; the worker's sweep stores it.
    expect(await runtime.runs.schedule(tenantId, e._id)).toMatchObject({ enabled: true, intervalHours: 168, nextRunAt: new Date(decidedAt.getTime() + 6 * HOUR).toISOString() });
    expect(await job(e._id)).toBeNull();
    // The worker's sweep does this for every consented enrichment; call it directly here.
    expect(await runtime.runs.sweepSchedules()).toBe(1);
    expect(await runtime.runs.sweepSchedules()).toBe(0);
    const planned = await job(e._id);
    expect(planned?.nextRunAt.getTime()).toBe(decidedAt.getTime() + 6 * HOUR);
    expect(Number(planned?.repeatInterval)).toBe(168 * HOUR);
    const view = await runtime.runs.schedule(tenantId, e._id);
    // The delay is part of the view, so the tab can say it truthfully before consent too.
    expect(view).toMatchObject({ enabled: true, intervalHours: 168, firstRunDelayHours: 6, nextRunAt: new Date(decidedAt.getTime() + 6 * HOUR).toISOString() });

    const daily = await runtime.runs.setSchedule(tenantId, e._id, { enabled: true, intervalHours: 24 }, 'admin');
    expect(daily).toMatchObject({ enabled: true, intervalHours: 24 });
    expect(Number((await job(e._id))?.repeatInterval)).toBe(24 * HOUR);

    const off = await runtime.runs.setSchedule(tenantId, e._id, { enabled: false }, 'admin');
    expect(off).toMatchObject({ enabled: false, nextRunAt: null });
    expect(await job(e._id)).toBeNull();
    // Turned off stays off: the sweep does not bring it back.
    expect(await runtime.runs.sweepSchedules()).toBe(0);
    expect(await job(e._id)).toBeNull();
  });

  it('when the planned time comes, then a scheduled run starts and the next one is one week later', async () => {
    const e = await seedEnrichment(t.db, tenantId, datasetId, tenant.users.slice(3, 6).map((u) => ({ userId: u.id, mail: u.mail })));
    expect(await runtime.runs.sweepSchedules()).toBe(1);
    // Bring the first occurrence forward to now.
    await t.db.collection(AGENDA_COLLECTION).updateOne({ name: JOB.scheduledRun, 'data.enrichmentId': e._id }, { $set: { nextRunAt: new Date() } });
    const deadline = Date.now() + 30_000;
    let runs = await runtime.runs.list(tenantId, e._id);
    while (runs.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      runs = await runtime.runs.list(tenantId, e._id);
    }
    expect(runs).toHaveLength(1);
    expect(runs[0]!.trigger).toBe('schedule');
    const done = await waitForRun(runtime.runs, runs[0]!, isEnded);
    expect(done.state).toBe('completed');
    const after = await job(e._id);
    expect(after?.lastRunAt).toBeTruthy();
    expect(after!.nextRunAt.getTime() - after!.lastRunAt.getTime()).toBe(168 * HOUR);
  });

  it('when the enrichment has no consent, then no schedule exists and changing it is refused', async () => {
    const e = await seedEnrichment(t.db, tenantId, datasetId, tenant.users.slice(0, 2).map((u) => ({ userId: u.id, mail: u.mail })), { consented: false });
    expect(await runtime.runs.schedule(tenantId, e._id)).toMatchObject({ enabled: false, nextRunAt: null });
    await expect(runtime.runs.setSchedule(tenantId, e._id, { enabled: true }, 'admin')).rejects.toMatchObject({ code: 'consent-required' });
    expect(await job(e._id)).toBeNull();
  });
});
