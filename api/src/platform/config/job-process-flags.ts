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
 * - `--heap-growing-percent=100`: what was promoted dies soon after, but V8 let the old
 *   generation grow to 700 MB over a live set of 100-150 MB before collecting it, which made
 *   the worker's peak 750-990 MiB even at 250 mailboxes. Letting it grow to twice what survived
 *   the last full collection kept the peak at 590-610 MiB for no more CPU (half: 530-540 MiB, but
 *   24-28 µs per message against 21-24), without a hard limit that could end a large tenant's
 *   merge with "heap out of memory".
 * - `--expose-gc`: finalize collects the heap once, before the snapshot writer's DuckDB takes its
 *   few hundred megabytes (`collectGarbage`). Merging 2,500 mailboxes leaves 200-300 MB of
 *   garbage in a heap grown to 470-490 MB, and whether V8 had collected it before the write was
 *   a matter of timing: the worker's peak was 910-990 MiB when it had, 1,047-1,127 MiB when not.
 */
export const JOB_PROCESS_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--heap-growing-percent=100', '--expose-gc'];

/** The flags a process was not started with (`execArgv`, and `NODE_OPTIONS` where Node allows them). */
export function missingJobProcessFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = new Set([...execArgv, ...(nodeOptions ?? '').split(/\s+/)].filter(Boolean));
  return JOB_PROCESS_NODE_FLAGS.filter((f) => !given.has(f));
}
