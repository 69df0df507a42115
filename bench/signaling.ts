// npm run bench:signaling [-- --clients N --seconds S]
// N clients in rooms of 4 publish offer-sized frames (~3 KB) through our server (real
// accounts, tickets, schemas and rate limits) and, in the same run, through y-webrtc's
// own bin/server.js. Both servers run as child processes so their RSS compares. The load
// generator runs in worker threads of this process and targets 127.0.0.1 only.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { mergeHistograms, percentile } from './signaling-histogram';
import type { LoadCommand, LoadWorkerData, RunResult } from './signaling-load';
import {
  cpuSecondsOf,
  rssOf,
  startOurs,
  startStock,
  stop,
  type ServerUnderTest,
} from './signaling-servers';

interface Options {
  clients: number;
  seconds: number;
  workers: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { clients: 2000, seconds: 5, workers: 2 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (
      (name === 'clients' || name === 'seconds' || name === 'workers') &&
      Number.isInteger(value) &&
      value > 0
    ) {
      options[name] = value;
    } else {
      throw new Error(
        `unknown or bad option ${argv[i]} ${argv[i + 1] ?? ''}: use --clients N --seconds S --workers W`,
      );
    }
  }
  // Bounded on purpose: this is a benchmark, not a load-testing tool.
  options.clients = Math.min(options.clients, 10_000);
  options.seconds = Math.min(options.seconds, 60);
  return options;
}

const ROOM_SIZE = 4;
const TRIALS = 3;
const PAYLOAD_BYTES = 3_000;
/** Steady phase: one frame per client per second (already far above real signaling traffic). */
const PACED_INTERVAL_MS = 1_000;
/**
 * Saturation phase: each client sends its next frame when the previous one has come back,
 * but never more than one per 70 ms (about 14/s), inside our production limit of
 * 200 frames per 10 s per connection, so the rate limits stay on without distorting it.
 */
const SATURATE_MIN_INTERVAL_MS = 70;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

class LoadWorkers {
  private readonly workers: Worker[];

  constructor(rooms: LoadWorkerData['rooms'], count: number) {
    this.workers = Array.from({ length: count }, (_, w) => {
      const data: LoadWorkerData = {
        rooms: rooms.filter((_, i) => i % count === w),
        payloadBytes: PAYLOAD_BYTES,
      };
      // NOTE: workers don't inherit tsx's loader; register it inside the worker first.
      const bootstrap = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(here('./signaling-load.ts'))}, ${JSON.stringify(import.meta.url)}))`;
      return new Worker(bootstrap, { eval: true, workerData: data });
    });
  }

  private ask<T>(command: LoadCommand): Promise<T[]> {
    return Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<T>((resolve, reject) => {
            worker.once('message', (reply: T) => resolve(reply));
            worker.once('error', reject);
            worker.postMessage(command);
          }),
      ),
    );
  }

  async connect(): Promise<{ open: number; failed: number }> {
    const replies = await this.ask<{ open: number; failed: number }>({ kind: 'connect' });
    return replies.reduce((a, r) => ({ open: a.open + r.open, failed: a.failed + r.failed }), {
      open: 0,
      failed: 0,
    });
  }

  async run(mode: 'paced' | 'saturate', intervalMs: number, durationMs: number) {
    const replies = await this.ask<{ result: RunResult }>({
      kind: 'run',
      mode,
      intervalMs,
      durationMs,
    });
    const results = replies.map((r) => r.result);
    return {
      delivered: results.reduce((sum, r) => sum + r.delivered, 0),
      histogram: mergeHistograms(results.map((r) => r.histogram)),
      closedUnexpectedly: results.reduce((sum, r) => sum + r.closedUnexpectedly, 0),
    };
  }

  async close(): Promise<void> {
    await this.ask({ kind: 'close' });
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

type RunSummary = Awaited<ReturnType<LoadWorkers['run']>>;

/** Trials of one mode against one server, pooled. */
class Pooled {
  private delivered = 0;
  private seconds = 0;
  private cpuSeconds = 0;
  private readonly histograms: Uint32Array[] = [];
  closedUnexpectedly = 0;

  add(run: RunSummary, seconds: number, serverCpuSeconds: number): void {
    this.cpuSeconds += serverCpuSeconds;
    this.delivered += run.delivered;
    this.seconds += seconds;
    this.histograms.push(run.histogram);
    this.closedUnexpectedly = Math.max(this.closedUnexpectedly, run.closedUnexpectedly);
  }

  /**
   * Server CPU time per 1000 delivered frames: unlike throughput and latency, barely
   * affected by whatever else runs on the machine.
   */
  get cpuMsPerThousand(): number {
    return (this.cpuSeconds * 1000 * 1000) / this.delivered;
  }

  get perSecond(): number {
    return this.delivered / this.seconds;
  }

  percentile(fraction: number): number {
    return percentile(mergeHistograms(this.histograms), fraction);
  }
}

interface Contender {
  server: ServerUnderTest;
  load: LoadWorkers;
  connected: number;
  failed: number;
  idleMB: number;
  connectedMB: number;
  peakMB: number;
  steady: Pooled;
  saturated: Pooled;
}

/**
 * What connections cost: peak RSS minus the RSS of the same process idle (started, no
 * sockets), per 1000 connections. The idle process (Node, tsx, Express, SQLite, the
 * Argon2 worker) is printed separately; it does not grow with connections.
 */
function perThousandAboveIdle(c: Contender, clients: number): number {
  return ((c.peakMB - c.idleMB) * 1000) / clients;
}

function report(c: Contender, clients: number): string {
  const f = (n: number) => n.toFixed(1);
  const line = (p: Pooled) =>
    `${Math.round(p.perSecond)} delivered/s, p50 ${f(p.percentile(0.5))} ms, p99 ${f(p.percentile(0.99))} ms, ` +
    `server CPU ${f(p.cpuMsPerThousand)} ms per 1000 delivered`;
  return [
    `${c.server.name}: ${c.connected}/${clients} connected (${c.failed} failed)`,
    `  steady (1 frame/s per client): ${line(c.steady)}`,
    `  saturated (closed loop, <= ${Math.round(1000 / SATURATE_MIN_INTERVAL_MS)}/s per client): ${line(c.saturated)}`,
    `  RSS: idle ${f(c.idleMB)} MB, connected ${f(c.connectedMB)} MB, peak ${f(c.peakMB)} MB; ` +
      `per 1000 connections: ${f(perThousandAboveIdle(c, clients))} MB above idle (${f((c.peakMB * 1000) / clients)} MB counting the idle process)`,
    `  sockets the server closed during the run: ${c.saturated.closedUnexpectedly}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // A hard stop, whatever happens: the run is bounded in time as well as in clients.
  const deadline = setTimeout(() => {
    console.error('bench:signaling: gave up after 10 minutes');
    process.exit(1);
  }, 10 * 60_000);
  deadline.unref();
  console.log(
    `bench:signaling: ${options.clients} clients per server in rooms of ${ROOM_SIZE}, ${PAYLOAD_BYTES}-byte payloads, ` +
      `${TRIALS} alternating trials of ${options.seconds} s per phase and server, ${options.workers} load threads per server, ` +
      '127.0.0.1 only; our rate limits at their production values',
  );
  const servers = [
    await startOurs(options.clients, ROOM_SIZE),
    await startStock(options.clients, ROOM_SIZE),
  ];
  const contenders: Contender[] = [];
  try {
    for (const server of servers) {
      const idleMB = rssOf(server.child.pid!).rssMB;
      const load = new LoadWorkers(server.rooms, options.workers);
      const { open, failed } = await load.connect();
      contenders.push({
        server,
        load,
        connected: open,
        failed,
        idleMB,
        connectedMB: rssOf(server.child.pid!).rssMB,
        peakMB: 0,
        steady: new Pooled(),
        saturated: new Pooled(),
      });
    }
    // NOTE: trials alternate between the servers (and which goes first) so that noise
    // from anything else on the machine lands on both alike.
    for (const [mode, interval] of [
      ['paced', PACED_INTERVAL_MS],
      ['saturate', SATURATE_MIN_INTERVAL_MS],
    ] as const) {
      for (let trial = 0; trial < TRIALS; trial += 1) {
        const order = trial % 2 === 0 ? contenders : [...contenders].reverse();
        for (const c of order) {
          const cpuBefore = cpuSecondsOf(c.server.child.pid!);
          const run = await c.load.run(mode, interval, options.seconds * 1000);
          const cpu = cpuSecondsOf(c.server.child.pid!) - cpuBefore;
          (mode === 'paced' ? c.steady : c.saturated).add(run, options.seconds, cpu);
        }
      }
    }
    for (const c of contenders) c.peakMB = rssOf(c.server.child.pid!).peakMB;
  } finally {
    await Promise.all(contenders.map((c) => c.load.close()));
    await Promise.all(servers.map((server) => stop(server.child)));
  }
  for (const c of contenders) console.log(report(c, options.clients));
  // Everything shares the machine's cores: a busy machine shows up in both servers' latency.
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  const [ours, stock] = contenders as [Contender, Contender];
  const ratio = ours.saturated.perSecond / stock.saturated.perSecond;
  const cpuRatio = stock.saturated.cpuMsPerThousand / ours.saturated.cpuMsPerThousand;
  console.log(
    `efficiency (saturated): y-webrtc's server CPU per delivered frame / ours = ${cpuRatio.toFixed(2)} ` +
      '(above 1: ours spends less CPU per frame)',
  );
  console.log(
    `signaling: ours ${Math.round(ours.saturated.perSecond)} msg/s, y-webrtc ${Math.round(stock.saturated.perSecond)} msg/s, ` +
      `ratio ${ratio.toFixed(2)}, p99 ${ours.steady.percentile(0.99).toFixed(1)} ms, ` +
      `${perThousandAboveIdle(ours, options.clients).toFixed(1)} MB per 1000 connections`,
  );
  clearTimeout(deadline);
}

await main();
