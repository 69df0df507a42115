// The security log under tampering: an edited, a deleted, a reordered and a truncated
// entry are each caught, by the server's own check and by `npm run verify-log`.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../signaling/db/database';
import { SecurityLog, verifySecurityLog } from '../../../signaling/security-log/security-log';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer } from '../../helpers/server';
import type { TestServer } from '../../helpers/server';

const run = promisify(execFile);
let server: TestServer;
let pristine: string;

beforeAll(async () => {
  server = await startTestServer({}, { keepDataDir: true });
  const client = api(server.url);
  await client.register('sam');
  await client.login('sam');
  await client.request('POST', '/api/login', {
    json: { username: 'sam', password: 'wrong password' },
  });
  // The API refuses such names, but details can come from anywhere (a header, a ticket):
  // control characters must be stored encoded so they cannot forge a line or an escape.
  server.services.securityLog.record('auth.login_failed', {
    username: 'mallory\r\nadmin.created\u0000',
  });
  server.services.securityLog.record('ws.refused', { username: 'evil\u001b[31mname\u202e' });
  await client.login('sam', TEST_PASSWORD);
  pristine = server.dataDir;
  await server.close();
});
afterAll(() => rmSync(pristine, { recursive: true, force: true }));

/** A copy of the stopped server's data to tamper with. */
function tamperedCopy(tamper: (db: Database.Database) => void): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'tampered-log-'));
  cpSync(pristine, copy, { recursive: true });
  const db = new Database(path.join(copy, 'server.sqlite'));
  tamper(db);
  db.close();
  return copy;
}

function verify(dataDir: string) {
  const db = openDatabase(dataDir);
  try {
    return verifySecurityLog(db, dataDir);
  } finally {
    db.close();
  }
}

function count(db: Database.Database): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM security_log').get() as { n: number }).n;
}

describe('tamper detection', () => {
  it('the untouched log verifies', () => {
    const status = verify(pristine);
    expect(status).toEqual({ ok: true, entries: expect.any(Number) });
    expect(status.entries).toBeGreaterThanOrEqual(5);
  });

  it('catches an edited entry', () => {
    const dir = tamperedCopy((db) => {
      const row = db.prepare('SELECT ciphertext FROM security_log WHERE seq = 3').get() as {
        ciphertext: Buffer;
      };
      row.ciphertext[0]! ^= 0x01;
      db.prepare('UPDATE security_log SET ciphertext = ? WHERE seq = 3').run(row.ciphertext);
    });
    expect(verify(dir)).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: expect.stringMatching(/altered/),
    });
    rmSync(dir, { recursive: true });
  });

  it('catches an edited timestamp', () => {
    const dir = tamperedCopy((db) =>
      db.prepare('UPDATE security_log SET ts = ts - 60000 WHERE seq = 2').run(),
    );
    expect(verify(dir)).toMatchObject({ ok: false, firstBadSeq: 2 });
    rmSync(dir, { recursive: true });
  });

  it('catches a deleted entry', () => {
    const dir = tamperedCopy((db) => db.prepare('DELETE FROM security_log WHERE seq = 2').run());
    expect(verify(dir)).toMatchObject({
      ok: false,
      firstBadSeq: 2,
      reason: expect.stringMatching(/missing/),
    });
    rmSync(dir, { recursive: true });
  });

  it('catches a deleted entry even when the rest are renumbered', () => {
    const dir = tamperedCopy((db) => {
      db.prepare('DELETE FROM security_log WHERE seq = 2').run();
      db.prepare('UPDATE security_log SET seq = seq - 1 WHERE seq > 2').run();
    });
    expect(verify(dir)).toMatchObject({ ok: false, firstBadSeq: 2 });
    rmSync(dir, { recursive: true });
  });

  it('catches reordered entries', () => {
    const dir = tamperedCopy((db) => {
      // Swap the contents of entries 2 and 3, each keeping its slot number.
      const rows = db
        .prepare('SELECT * FROM security_log WHERE seq IN (2, 3) ORDER BY seq')
        .all() as Array<Record<string, unknown>>;
      const update = db.prepare(
        'UPDATE security_log SET ts = ?, nonce = ?, ciphertext = ?, mac = ? WHERE seq = ?',
      );
      update.run(rows[1]!.ts, rows[1]!.nonce, rows[1]!.ciphertext, rows[1]!.mac, 2);
      update.run(rows[0]!.ts, rows[0]!.nonce, rows[0]!.ciphertext, rows[0]!.mac, 3);
    });
    expect(verify(dir)).toMatchObject({ ok: false, firstBadSeq: 2 });
    rmSync(dir, { recursive: true });
  });

  it('catches a truncated log (entries cut off the end)', () => {
    let before = 0;
    const dir = tamperedCopy((db) => {
      before = count(db);
      db.prepare('DELETE FROM security_log WHERE seq > ?').run(before - 2);
    });
    expect(verify(dir)).toMatchObject({
      ok: false,
      firstBadSeq: before - 1,
      reason: expect.stringMatching(/truncated/),
    });
    rmSync(dir, { recursive: true });
  });

  it('keeps truncation visible after a restart: new entries do not paper over the gap', async () => {
    const dir = tamperedCopy((db) =>
      db.prepare('DELETE FROM security_log WHERE seq = (SELECT MAX(seq) FROM security_log)').run(),
    );
    const restarted = await startTestServer({}, { dataDir: dir });
    await api(restarted.url).login('sam');
    const status = restarted.services.securityLog.verify();
    await restarted.close();
    expect(status).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    rmSync(dir, { recursive: true });
  });
});

describe('stored content', () => {
  it('is encrypted at rest and usernames with control characters are stored encoded', () => {
    const db = new Database(path.join(pristine, 'server.sqlite'), { readonly: true });
    const raw = JSON.stringify(db.prepare('SELECT * FROM security_log').all());
    db.close();
    expect(raw).not.toContain('sam');
    expect(raw).not.toContain('mallory');

    const logDb = openDatabase(pristine);
    try {
      // Read the entries back through the log's own decryption.
      const events = new SecurityLog(logDb, pristine).recent(100);
      const names = events.map((event) => String(event.details.username ?? ''));
      expect(names).toContain('mallory\\u{d}\\u{a}admin.created\\u{0}');
      expect(names).toContain('evil\\u{1b}[31mname\\u{202e}');
      // eslint-disable-next-line no-control-regex -- looking for control characters
      for (const name of names) expect(name).not.toMatch(/[\u0000-\u001f\u202e]/);
    } finally {
      logDb.close();
    }
  });
});

describe('npm run verify-log', () => {
  const cli = (dataDir: string) =>
    run('npx', ['tsx', 'signaling/cli/verify-log.ts'], {
      env: { ...process.env, DATA_DIR: dataDir },
    }).then(
      (result) => ({ code: 0, stdout: result.stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  it('reports an intact log (exit 0) and the first bad entry of a tampered one (exit 1)', async () => {
    const intact = await cli(pristine);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/security log OK: \d+ entries/);

    const dir = tamperedCopy((db) => db.prepare('DELETE FROM security_log WHERE seq = 4').run());
    const tampered = await cli(dir);
    rmSync(dir, { recursive: true });
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/TAMPERED: first bad entry 4: entry 4 is missing/);
  });
});
