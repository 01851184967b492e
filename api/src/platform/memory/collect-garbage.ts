/**
 * A full collection of the V8 heap, now, when the process was started with `--expose-gc` (a job
 * process is: see JOB_PROCESS_NODE_FLAGS); otherwise nothing. For the rare point where a large
 * heap of garbage would otherwise sit beside a native allocation that is about to peak (finalize,
 * before the snapshot writer's DuckDB writes): V8 returns the freed pages, and the process's
 * peak is the live heap plus the native work instead of the heap's high-water mark plus it.
 * Returns whether it collected.
 */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return false;
  gc();
  return true;
}
