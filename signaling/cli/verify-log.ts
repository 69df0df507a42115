// `npm run verify-log`: checks the security log's hash chain and anchor, and reports
// the first bad entry. Exit code 0 when intact, 1 when tampered, 2 when it cannot run.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { verifySecurityLog } from '../security-log/security-log';

function main(): number {
  const config = loadConfig();
  if (!existsSync(path.join(config.dataDir, 'security-log.key'))) {
    console.error(`No security log in ${config.dataDir} (no security-log.key). Is DATA_DIR right?`);
    return 2;
  }
  const db = openDatabase(config.dataDir);
  try {
    const status = verifySecurityLog(db, config.dataDir);
    if (status.ok) {
      console.log(`security log OK: ${status.entries} entries, chain and anchor intact`);
      return 0;
    }
    console.log(`security log TAMPERED: first bad entry ${status.firstBadSeq}: ${status.reason}`);
    console.log(
      `entries 1-${status.entries} verify; nothing from entry ${status.firstBadSeq} on can be trusted`,
    );
    return 1;
  } finally {
    db.close();
  }
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`verify-log could not run: ${(error as Error).message}`);
  process.exitCode = 2;
}
