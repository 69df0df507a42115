// The two servers `npm run bench:signaling` compares, each in its own child process so
// their memory can be measured apart: ours (setup process, then `startServer`) and
// y-webrtc's own bin/server.js on an ephemeral port.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { LoadWorkerData } from './signaling-load';
import type { BenchRoom } from './signaling-server';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves with the first stdout line matching `pattern`. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = buffered.match(pattern);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
}

/** Resident set now and at its peak (VmHWM), from /proc: Linux only. */
/** CPU time the process has used so far (user + system), in seconds, from /proc. */
export function cpuSecondsOf(pid: number): number {
  // Fields after the command name (which may contain spaces, hence the split at ')').
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
  // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the name; 100 ticks/s on Linux.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function rssOf(pid: number): { rssMB: number; peakMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? NaN);
  return { rssMB: kB('VmRSS') / 1024, peakMB: kB('VmHWM') / 1024 };
}

export interface ServerUnderTest {
  name: string;
  child: ChildProcess;
  rooms: LoadWorkerData['rooms'];
}

export async function startOurs(clients: number, roomSize: number): Promise<ServerUnderTest> {
  const script = here('./signaling-server.ts');
  const setup = spawn(
    process.execPath,
    ['--import', 'tsx', script, 'setup', String(clients), String(roomSize)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [, dataDir, roomsFile] = await waitForLine(setup, /SETUP (\S+) (\S+)/);
  const child = spawn(process.execPath, ['--import', 'tsx', script, 'serve', dataDir!], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [, wsUrl] = await waitForLine(child, /READY (\S+)/);
  const benchRooms = JSON.parse(readFileSync(roomsFile!, 'utf8')) as BenchRoom[];
  return {
    name: 'ours',
    child,
    rooms: benchRooms.map((room) => ({
      topic: room.topic,
      urls: room.tickets.map((t) => `${wsUrl}?ticket=${t}`),
    })),
  };
}

export async function startStock(clients: number, roomSize: number): Promise<ServerUnderTest> {
  const port = await freePort();
  const child = spawn(process.execPath, [here('../node_modules/y-webrtc/bin/server.js')], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitForLine(child, /Signaling server running/);
  const rooms: LoadWorkerData['rooms'] = [];
  for (let first = 0; first < clients; first += roomSize) {
    // Same topic length as ours (22 characters), so frames are byte for byte the same size.
    const topic = `stock${String(first).padStart(17, '0')}`;
    const size = Math.min(roomSize, clients - first);
    rooms.push({ topic, urls: Array.from({ length: size }, () => `ws://127.0.0.1:${port}/`) });
  }
  return { name: 'y-webrtc', child, rooms };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.stdin) child.stdin.end();
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
