import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepStaleTestInfrastructure } from './infrastructure';

describe('sweepStaleTestInfrastructure', () => {
  it('removes what a killed earlier run left behind and leaves live runs alone', async () => {
    // The pid of a process that has exited: its run died before its teardown.
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const stale = await mkdtemp(join(tmpdir(), 'idp-test-'));
    await writeFile(join(stale, 'owner.pid'), `${deadPid}\n`);
    const live = await mkdtemp(join(tmpdir(), 'idp-test-'));
    await writeFile(join(live, 'owner.pid'), `${process.pid}\n`);
    try {
      await sweepStaleTestInfrastructure();
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      await rm(live, { recursive: true, force: true });
      await rm(stale, { recursive: true, force: true });
    }
  });
});
