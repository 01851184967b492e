/**
 * One worker process of `npm run bench`: exactly what `api/src/main.ts` runs with ROLE=worker
 * (configuration parsed from the environment, `buildDependencies`, `startWorker` with
 * `workerDepsFrom`), with a run observer that sums the stage timings, plus a channel the bench's API process asks for this process's stage
 * timings through (Node IPC: `{ type: 'timings' }` → `{ type: 'timings', timings }`) and for
 * what V8 holds (`{ type: 'memory', seq }` → `{ type: 'memory', seq, memory }`: the memory series).
 * Forked by scripts/bench/api-process.ts; stops on SIGTERM or when asked to.
 */
import { parseConfig } from '../../api/src/platform/config/config';
import { ALL_COLLECTIONS } from '../../api/src/collections';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import { connectMongo } from '../../api/src/platform/db/mongo';
import { createLogger } from '../../api/src/platform/logger/logger';
import { buildDependencies } from '../../api/src/dependencies';
import { startWorker, workerDepsFrom } from '../../api/src/run-worker';
import { reportCommandStats } from './command-stats';
import { heapFiguresOf } from './memory-series';
import { emptyStageTimings, stageTimingsObserver } from './stage-timings';

const config = parseConfig(process.env);
if (config.worker.role !== 'worker') throw new Error('the bench worker process runs with ROLE=worker');
const logger = createLogger(config.logLevel);
const mongo = await connectMongo(config.mongo.uri, config.mongo.dbName, { monitorCommands: Boolean(process.env.BENCH_COMMAND_STATS) });
if (process.env.BENCH_COMMAND_STATS) reportCommandStats(mongo.client, `bench:worker ${process.pid}`);
await ensureSchema(mongo.db, ALL_COLLECTIONS);
const deps = buildDependencies(config, mongo.db, logger);
const timings = emptyStageTimings();
const worker = await startWorker({ ...workerDepsFrom(config, deps), observer: stageTimingsObserver(timings) });

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void worker
    .stop()
    .catch(() => undefined)
    .then(() => mongo.close())
    .finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
// The API process that forked this one is gone: nobody will ask for work to stop.
process.on('disconnect', stop);
process.on('message', (m: { type?: string; seq?: number }) => {
  if (m.type === 'timings') process.send?.({ type: 'timings', pid: process.pid, timings });
  if (m.type === 'memory') process.send?.({ type: 'memory', seq: m.seq, memory: heapFiguresOf(process.memoryUsage()) });
  if (m.type === 'stop') stop();
});
process.send?.({ type: 'ready', pid: process.pid });
