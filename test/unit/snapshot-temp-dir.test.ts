import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processTempDir } from '../../api/src/results/snapshot-cache';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

describe('processTempDir (where a process keeps the snapshot files it loaded)', () => {
  it('when a process starts, then the directories of processes that are gone are removed, a running one\'s and its own process\'s stay, and it gets a new empty one', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'temp-dir-test-'));
    roots.push(root);
    // Above Linux's largest pid (2^22): no process has it.
    const gone = path.join(root, 'account-engagement-snapshots-4194399-a1B2c3');
    const running = path.join(root, `account-engagement-snapshots-${process.ppid}-d4E5f6`);
    const unrelated = path.join(root, 'snapshot-load-abc');
    for (const d of [gone, running, unrelated]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 's1.parquet'), 'x');
    }
    // Another cache of this very process.
    const sibling = path.join(root, `account-engagement-snapshots-${process.pid}-g7H8i9`);
    fs.mkdirSync(sibling);
    fs.writeFileSync(path.join(sibling, 's2.parquet'), 'x');

    const dir = processTempDir(root, process.pid);

    expect(path.basename(dir)).toMatch(new RegExp(`^account-engagement-snapshots-${process.pid}-`));
    expect(dir).not.toBe(sibling);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(fs.existsSync(path.join(sibling, 's2.parquet'))).toBe(true);
    expect(fs.existsSync(gone)).toBe(false);
    expect(fs.existsSync(path.join(running, 's1.parquet'))).toBe(true);
    expect(fs.existsSync(path.join(unrelated, 's1.parquet'))).toBe(true);
  });
});
