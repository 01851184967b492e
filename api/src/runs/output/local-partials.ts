import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PartialsByShard, splitShardBlobs, type ShardedPartials } from './partials-by-shard';

/**
 * What this process wrote of a run, kept for the run's finalize should it run here: every
 * mailbox's shard blobs, filed by shard as they are written (PartialsByShard), and its
 * unmatched-domain activity (compressed). Finalize then reads from the database only the
 * mailboxes other processes read. Reading every mailbox's partials back was a pause of about
 * 9 s in a 2,500-mailbox merge, the worker idle while the database served 2,500 documents
 * (issue 13, `--cpu-prof`), and it came again in every refresh.
 *
 * A copy stands for the stored partials only when the mailbox's finished work item names it: the
 * mailbox job files its copy, whole, under a new `partialsId` before it writes the mailbox and
 * its item (which carries that id). A mailbox whose item names another id (written over by
 * another process, or by a retry whose copy was not filed here) is read from the database. The
 * item, not the order of events in this process, decides: finalize can start before the mailbox
 * job that wrote the last item has even seen its write acknowledged.
 */
export interface LocalRunPartials {
  byShard: PartialsByShard;
  /** Per mailbox index, the `partialsId` of the copy filed here. */
  partialsIds: Map<number, string>;
  /** Per mailbox index, its unmatched-domain activity as stored. */
  unmatched: Map<number, Uint8Array>;
}

interface Filing extends LocalRunPartials {
  bytes: number;
  lastFiledAt: number;
}

export interface LocalPartialsOptions {
  /** Where the files go: a folder per process under it. */
  dir?: string;
  /** Bytes of blobs kept per process at most; mailboxes beyond it are left to the database. */
  maxBytes?: number;
  /** A run nothing was filed for this long is dropped (its finalize ran elsewhere, or never will). */
  idleMs?: number;
  now?: () => number;
}

const ROOT = 'account-engagement-partials';

export class LocalPartials {
  private readonly runs = new Map<string, Filing>();
  private readonly dir: string;
  private readonly maxBytes: number;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(options: LocalPartialsOptions = {}) {
    const root = path.join(options.dir ?? os.tmpdir(), ROOT);
    // A folder per instance (tests run several in one process), named by the process first.
    this.dir = path.join(root, `${process.pid}-${randomBytes(4).toString('hex')}`);
    this.maxBytes = options.maxBytes ?? 4 * 1024 ** 3;
    this.idleMs = options.idleMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
    removeDeadProcessesFolders(root);
  }

  /**
   * Files mailbox `index`'s copy for run `runId` (inflated shard blobs, unmatched activity as
   * stored). Synchronous, so that two mailboxes of a run never both start its filing, and a
   * finalize never takes a copy half filed.
   */
  file(runId: string, index: number, partialsId: string, blobs: ShardedPartials, unmatched: Uint8Array): void {
    this.dropIdle();
    // An earlier copy of the mailbox stands no more, whether or not this one is filed.
    this.runs.get(runId)?.partialsIds.delete(index);
    const size = blobs.data.length + unmatched.length;
    if (this.totalBytes() + size > this.maxBytes) return;
    const run = this.runs.get(runId) ?? this.startFiling(runId);
    run.byShard.fileMailbox(index, splitShardBlobs(blobs));
    run.partialsIds.set(index, partialsId);
    // A copy: the bytes zlib gave are a view of its whole output buffer, sized for the input
    // (about 60 KB), and 2,500 of them held to finalize were 150 MB of the worker's memory.
    run.unmatched.set(index, new Uint8Array(unmatched));
    run.bytes += size;
    run.lastFiledAt = this.now();
  }

  private startFiling(runId: string): Filing {
    fs.mkdirSync(this.dir, { recursive: true });
    const run: Filing = { byShard: PartialsByShard.create(this.dir), partialsIds: new Map(), unmatched: new Map(), bytes: 0, lastFiledAt: this.now() };
    this.runs.set(runId, run);
    return run;
  }

  /** Hands the run's copies over (to its finalize, which disposes of them); none when nothing was filed here. */
  take(runId: string): LocalRunPartials | undefined {
    const run = this.runs.get(runId);
    this.runs.delete(runId);
    return run;
  }

  /** Drops a run's copies (it ended without a finalize here). */
  drop(runId: string): void {
    this.take(runId)?.byShard.dispose();
  }

  /** Drops everything (the process stops). */
  dispose(): void {
    for (const runId of [...this.runs.keys()]) this.drop(runId);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private totalBytes(): number {
    let sum = 0;
    for (const run of this.runs.values()) sum += run.bytes;
    return sum;
  }

  private dropIdle(): void {
    const now = this.now();
    for (const [runId, run] of this.runs) if (now - run.lastFiledAt > this.idleMs) this.drop(runId);
  }
}

/** Folders a process left when it died (named by process id): nothing will take them. */
function removeDeadProcessesFolders(root: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, someone else's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
