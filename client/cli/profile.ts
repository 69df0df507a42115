// Where one account's local state lives: DATA_DIR/HOST/USERNAME, so two accounts or two
// servers on one machine never share (or lock each other out of) a history file.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

export async function profileDir(
  dataDir: string,
  server: string,
  username: string,
): Promise<string> {
  const host = new URL(server).host.replace(/[^A-Za-z0-9.-]/g, '_');
  const dir = path.join(dataDir, host, username);
  // 0700: the history is encrypted, but its size and timing are nobody else's business.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}
