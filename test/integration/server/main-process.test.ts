// `npm run serve` as a process: it starts from the environment alone, serves, and shuts
// down cleanly (exit code 0) on SIGTERM and on SIGINT.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';

let dataDir: string;
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function runServer(signal: NodeJS.Signals): Promise<{ code: number | null; url: string }> {
  dataDir = mkdtempSync(path.join(tmpdir(), 'main-'));
  // Node itself with tsx's loader (not npx), so the signal reaches the server directly.
  const child = spawn(process.execPath, ['--import', 'tsx', 'signaling/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      STATIC_DIR: '',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', () => reject(new Error(`server exited early: ${output}`)));
  });
  const health = await fetch(url + '/healthz');
  expect(await health.json()).toEqual({ ok: true });
  child.kill(signal);
  const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(timeout);
  return { code, url };
}

it('starts with a generated SESSION_SECRET and stops cleanly on SIGTERM', async () => {
  const { code } = await runServer('SIGTERM');
  expect(code).toBe(0);
  expect(readFileSync(path.join(dataDir, 'session-secret'), 'utf8').trim()).toMatch(
    /^[A-Za-z0-9_-]{43}$/,
  );
});

it('stops cleanly on SIGINT', async () => {
  const { code, url } = await runServer('SIGINT');
  expect(code).toBe(0);
  await expect(fetch(url + '/healthz')).rejects.toThrow();
});
