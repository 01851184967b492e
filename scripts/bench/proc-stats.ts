import fs from 'node:fs';

/** Linux /proc readings for the bench: peak resident memory and CPU time of a process. */

/** VmHWM (peak resident set) in MiB, or null when the process is gone or not on Linux. */
export function peakRssMiB(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

/** Resident set now (VmRSS) and its high-water mark so far (VmHWM), in MiB; null when the process is gone. */
export function residentMiB(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    if (!rss || !hwm) return null;
    const mib = (kB: string) => Math.round((Number(kB) / 1024) * 10) / 10;
    return { rss: mib(rss[1]!), hwm: mib(hwm[1]!) };
  } catch {
    return null;
  }
}

/** User + system CPU seconds the process has used so far (children not included). */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields we need follow its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  } catch {
    return null;
  }
}

/** Direct children of a process, with their command lines. */
export function childProcesses(pid: number): Array<{ pid: number; command: string }> {
  const out: Array<{ pid: number; command: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      out.push({ pid: Number(entry), command: fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}
