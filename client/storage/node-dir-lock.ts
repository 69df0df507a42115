// Node only (the terminal client): one process at a time per data dir. Two clients
// appending to one history log would interleave their lines, so the second is refused
// with a message that says what to do. A lock left by a crashed process is taken over.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HistoryStoreError } from '../core/history-store';

const LOCK_FILE = 'history.lock';

export interface DirLock {
  release(): Promise<void>;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

export async function acquireDirLock(dir: string): Promise<DirLock> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(path, 'utf8').catch(() => 'NaN'));
      if (Number.isInteger(holder) && holder > 0 && processIsAlive(holder)) {
        throw new HistoryStoreError(
          'io',
          `Another chat client (process ${holder}) is using ${dir}: quit it first, or use another data dir.`,
        );
      }
      await rm(path, { force: true }); // left by a process that crashed
    }
  }
  throw new HistoryStoreError('io', `Can't lock ${dir}.`);
}
