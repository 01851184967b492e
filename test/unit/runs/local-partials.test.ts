import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalPartials } from '../../../api/src/runs/output/local-partials';
import { joinShardBlobs } from '../../../api/src/runs/output/partials-by-shard';

const blobsOf = (...shards: Array<[number, number[]]>) => joinShardBlobs(shards.map(([shard, bytes]) => [shard, Uint8Array.from(bytes)]));
const unmatched = Uint8Array.from([42]);
const dirs: string[] = [];
const workDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-partials-test-'));
  dirs.push(dir);
  return dir;
};
const folders = (dir: string) => fs.readdirSync(path.join(dir, 'account-engagement-partials'));

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("a process's own copy of the partials it wrote", () => {
  it('when mailboxes are filed, then finalize takes each one\'s blobs by shard, its unmatched activity and the id its work item must name', async () => {
    const local = new LocalPartials({ dir: workDir() });
    local.file('run-1', 0, 'p0', blobsOf([2, [1, 2]], [5, [3]]), unmatched);
    local.file('run-1', 1, 'p1', blobsOf([2, [9]]), unmatched);
    local.file('run-2', 0, 'q0', blobsOf([2, [7]]), unmatched);
    const taken = local.take('run-1')!;
    expect([...taken.partialsIds]).toEqual([[0, 'p0'], [1, 'p1']]);
    expect(taken.unmatched.get(0)).toEqual(unmatched);
    // Finalize keeps those whose items name the same id: here mailbox 0 only.
    taken.byShard.retain(new Set([0]));
    expect(taken.byShard.blobsOf(2).map((b) => [...b])).toEqual([[1, 2]]);
    expect(taken.byShard.blobsOf(5).map((b) => [...b])).toEqual([[3]]);
    taken.byShard.dispose();
    expect(local.take('run-1')).toBeUndefined();
  });

  it('when a mailbox is filed again (a retry), then only the latest copy and its id stand', async () => {
    const local = new LocalPartials({ dir: workDir() });
    local.file('run-1', 0, 'first', blobsOf([0, [1]]), unmatched);
    local.file('run-1', 0, 'second', blobsOf([0, [2]]), unmatched);
    const taken = local.take('run-1')!;
    expect([...taken.partialsIds]).toEqual([[0, 'second']]);
    expect(taken.byShard.blobsOf(0).map((b) => [...b])).toEqual([[2]]);
    taken.byShard.dispose();
  });

  it('when the copies would pass the byte budget, then the mailboxes beyond it are not filed (finalize reads them from the database)', async () => {
    const local = new LocalPartials({ dir: workDir(), maxBytes: 10 });
    local.file('run-1', 0, 'p0', blobsOf([0, [1, 2, 3, 4]]), unmatched);
    local.file('run-1', 1, 'p1', blobsOf([0, [1, 2, 3, 4, 5, 6, 7, 8]]), unmatched);
    // A retry of mailbox 0 that no longer fits: its earlier copy does not stand for it either.
    local.file('run-1', 0, 'p0-again', blobsOf([0, [1, 2, 3, 4, 5, 6, 7, 8]]), unmatched);
    const taken = local.take('run-1')!;
    expect([...taken.partialsIds.keys()]).toEqual([]);
    taken.byShard.dispose();
  });

  it('when nothing was filed for a run for longer than the idle limit, then its copies are dropped at the next filing', async () => {
    let now = 0;
    const dir = workDir();
    const local = new LocalPartials({ dir, idleMs: 1000, now: () => now });
    local.file('old-run', 0, 'p0', blobsOf([0, [1]]), unmatched);
    now = 5000;
    local.file('new-run', 0, 'p0', blobsOf([0, [1]]), unmatched);
    expect(local.take('old-run')).toBeUndefined();
    expect(local.take('new-run')).toBeDefined();
    local.dispose();
    expect(folders(dir)).toEqual([]);
  });

  it('when a run fails and is dropped, then its files are removed', async () => {
    const dir = workDir();
    const local = new LocalPartials({ dir });
    local.file('run-1', 0, 'p0', blobsOf([0, [1]]), unmatched);
    const [mine] = folders(dir);
    expect(fs.readdirSync(path.join(dir, 'account-engagement-partials', mine!))).toHaveLength(1);
    local.drop('run-1');
    expect(fs.readdirSync(path.join(dir, 'account-engagement-partials', mine!))).toEqual([]);
  });

  it('when a process that filed copies died, then the next one started removes its folder and leaves the live ones', async () => {
    const dir = workDir();
    const live = new LocalPartials({ dir });
    live.file('run-1', 0, 'p0', blobsOf([0, [1]]), unmatched);
    // A process id that has just ended.
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim();
    fs.mkdirSync(path.join(dir, 'account-engagement-partials', `${dead}-abcd1234`, 'run-partials-x'), { recursive: true });
    expect(folders(dir)).toHaveLength(2);
    new LocalPartials({ dir });
    expect(folders(dir)).toHaveLength(1);
    expect(live.take('run-1')).toBeDefined();
  });
});
