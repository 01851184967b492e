import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { JOB_PROCESS_NODE_FLAGS } from '../../api/src/platform/config/job-process-flags';

const collectIn = (flags: readonly string[]) =>
  spawnSync(process.execPath, [...flags, '--import', 'tsx', '-e', "import('./api/src/platform/memory/collect-garbage.ts').then((m) => console.log(String(m.collectGarbage())))"], { encoding: 'utf8' });

describe('collecting garbage before native work', () => {
  it('when the process was started without --expose-gc, then nothing is collected and it says so', () => {
    expect(collectIn([]).stdout.trim()).toBe('false');
  });

  it('when a job process is started with its flags, then the heap is collected', () => {
    const child = collectIn(JOB_PROCESS_NODE_FLAGS);
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('true');
  });
});
