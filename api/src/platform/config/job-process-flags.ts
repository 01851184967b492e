/**
 * Node (V8) flags for a process that runs jobs (ROLE=worker or all). They cannot be set once the
 * process runs, and V8 refuses `--heap-growing-percent` in `NODE_OPTIONS`, so every way of
 * starting one passes them on the command line: `npm run serve` (App Service's start command in
 * teamsapp.yml, and the README's container recipe), `npm start`, and the bench's workers.
 *
 * Why (issue 13, `npm run bench -- --mailboxes 250`, bench/RESULTS.md):
 * - `--max-semi-space-size=32`: a reader parses a Graph page (about a thousand messages, a few
 *   megabytes of objects) at a time for sixteen mailboxes at once. With V8's default young
 *   generation (16 MB semi-spaces) a collection often caught pages half parsed or half taken in
 *   and copied them on: `--trace-gc` counted 608 scavenges of 18 ms each in a 45 s run, a quarter
 *   of the worker's time, and tens of megabytes a second promoted to the old generation.
 * - `--heap-growing-percent=300`: the old generation may grow to four times what survived its
 *   last full collection before the next one. V8 starts marking when the room left under that
 *   limit is about the young generation's size (≈70 MB with 32 MB semi-spaces), so at twice the
 *   live set (the earlier 100) marking started when only 20–30 MB had been promoted since the
 *   last collection: a full collection every half second while mailboxes were read, and
 *   concurrent marking on V8's helper threads was a quarter of the worker's CPU
 *   (`--trace-gc-nvp`, 250 mailboxes, issue 13). In alternating runs, 300 gave 31 and 26 full
 *   collections instead of 39 and 41, and the worker 2.2 and 2.2 × the floor measured in the
 *   same run instead of 2.5 and 2.3. The merge, whose garbage is long-lived, runs at 50
 *   (withHeapGrowth). V8's own choice had let the heap grow to 700 MB over a live set of
 *   100–150 MB before collecting it.
 * - `--expose-gc`: finalize collects the heap once, before the snapshot writer's DuckDB takes its
 *   few hundred megabytes (`collectGarbage`). Merging 2,500 mailboxes leaves 200-300 MB of
 *   garbage in a heap grown to 470-490 MB, and whether V8 had collected it before the write was
 *   a matter of timing: the worker's peak was 910-990 MiB when it had, 1,047-1,127 MiB when not.
 */
export const JOB_PROCESS_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--heap-growing-percent=300', '--expose-gc'];

/** The flags a process was not started with (`execArgv`, and `NODE_OPTIONS` where Node allows them). */
export function missingJobProcessFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = new Set([...execArgv, ...(nodeOptions ?? '').split(/\s+/)].filter(Boolean));
  return JOB_PROCESS_NODE_FLAGS.filter((f) => !given.has(f));
}
