import type { MongoClient } from 'mongodb';

/**
 * BENCH_COMMAND_STATS=1: per (command, collection), how many round trips a process's MongoDB
 * client made and how long they took, printed to stderr when the process exits (the client
 * must be created with `monitorCommands: true`).
 */
export function reportCommandStats(client: MongoClient, label: string): void {
  const stats = new Map<string, { n: number; ms: number }>();
  const started = new Map<number, { key: string; at: number }>();
  client.on('commandStarted', (e) => {
    const target = (e.command as Record<string, unknown>)[e.commandName];
    started.set(e.requestId, { key: `${e.commandName} ${typeof target === 'string' ? target : ''}`, at: performance.now() });
  });
  const done = (e: { requestId: number }) => {
    const s = started.get(e.requestId);
    if (!s) return;
    started.delete(e.requestId);
    const c = stats.get(s.key) ?? { n: 0, ms: 0 };
    c.n++;
    c.ms += performance.now() - s.at;
    stats.set(s.key, c);
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);
  process.on('exit', () => {
    for (const [k, v] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30)) {
      console.error(`[${label} commands] ${k.padEnd(48)} ${String(v.n).padStart(7)} calls ${(v.ms / 1000).toFixed(1).padStart(8)} s`);
    }
  });
}
