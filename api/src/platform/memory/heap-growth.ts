import v8 from 'node:v8';
import { collectGarbage } from './collect-garbage';

const FLAG = '--heap-growing-percent';
let holders = 0;

/** The growth the process was started with (JOB_PROCESS_NODE_FLAGS gives 300); 0 is V8's own choice. */
function startingPercent(): number {
  const given = process.execArgv.find((a) => a.startsWith(`${FLAG}=`));
  return given ? Number(given.slice(FLAG.length + 1)) : 0;
}

/**
 * Runs `work` with V8's old generation allowed to grow only `percent` over what survived the
 * last full collection, then gives the process its own growth back once no other caller holds
 * it (while several do, the first one's `percent` stands).
 *
 * Why: job processes run with `--heap-growing-percent=300` (see JOB_PROCESS_NODE_FLAGS), right
 * for reading mailboxes, whose garbage dies young. A merge is different: each shard's buckets
 * live long enough to be promoted and then die all at once, so at 100 % the heap settled at twice
 * its live set (430-500 MB committed for 150-220 MB live, 2,500 mailboxes), beside the snapshot
 * writer's staged rows in DuckDB, and that was the worker's peak (issue 13). The flag is read at
 * every full collection, so it can change while the process runs; more frequent full
 * collections are the price, paid only while `work` runs.
 *
 * V8 sets the next limit when a full collection ends, so a tighter percent would only apply
 * after the first collection inside `work`, and until then the heap could grow to the limit the
 * looser growth had set. When it tightens, it therefore collects (and compacts) first.
 */
export async function withHeapGrowth<T>(percent: number, work: () => Promise<T>): Promise<T> {
  if (holders++ === 0) {
    v8.setFlagsFromString(`${FLAG}=${percent}`);
    const own = startingPercent();
    if (own === 0 || percent < own) collectGarbage();
  }
  try {
    return await work();
  } finally {
    if (--holders === 0) v8.setFlagsFromString(`${FLAG}=${startingPercent()}`);
  }
}
