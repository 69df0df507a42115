// Worker thread of `npm run bench:signaling`: holds the sockets of some rooms (all four
// members of a room in the same thread, so send and receive times share one clock),
// publishes offer-sized frames and measures relay latency and delivered frames.
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { newHistogram, recordLatency } from './signaling-histogram';

export interface LoadWorkerData {
  rooms: Array<{ topic: string; urls: string[] }>;
  payloadBytes: number;
}
/** paced: one frame per client every `intervalMs`; saturate: next frame as soon as the previous one came back, at most one per `intervalMs`. */
export type LoadCommand =
  | { kind: 'connect' }
  | { kind: 'run'; mode: 'paced' | 'saturate'; intervalMs: number; durationMs: number }
  | { kind: 'close' };
export interface RunResult {
  published: number;
  delivered: number;
  histogram: Uint32Array;
  closedUnexpectedly: number;
}

interface Client {
  socket: WebSocket;
  topic: string;
  prefix: string;
  awaitingEcho: boolean;
  lastSentAt: number;
}

const { rooms, payloadBytes } = workerData as LoadWorkerData;
const port = parentPort!;
const clients: Client[] = [];
let closedUnexpectedly = 0;
let closing = false;
let run: {
  histogram: Uint32Array;
  published: number;
  delivered: number;
  onEcho?: (c: Client) => void;
} | null = null;

// `{"type":"publish","topic":"<topic>","data":"<14-char time>|...` : both servers relay the
// keys in this order, so the send time sits at a fixed offset and needs no JSON.parse.
const timeOffset = (topic: string) => `{"type":"publish","topic":"${topic}","data":"`.length;
const padding = 'A'.repeat(payloadBytes);

function frameFor(client: Client): string {
  // Rounded as written, so the echo's parsed time compares equal.
  client.lastSentAt = Number(performance.now().toFixed(3));
  return `${client.prefix}${client.lastSentAt.toFixed(3).padStart(14, '0')}|${padding}"}`;
}

function connect(url: string, topic: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const client: Client = {
      socket,
      topic,
      prefix: `{"type":"publish","topic":"${topic}","data":"`,
      awaitingEcho: false,
      lastSentAt: 0,
    };
    const offset = timeOffset(topic);
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
      clients.push(client);
      resolve();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      if (!closing) closedUnexpectedly += 1;
    });
    socket.on('message', (data: Buffer) => {
      if (!run || data[2] !== 0x74 /* t of "type" */ || data.length < offset + 14) return;
      if (data[9] !== 0x70 /* p of "publish" */) return;
      const sentAt = Number(data.toString('latin1', offset, offset + 14));
      recordLatency(run.histogram, performance.now() - sentAt);
      run.delivered += 1;
      if (sentAt === client.lastSentAt && client.awaitingEcho) run.onEcho?.(client);
    });
  });
}

async function connectAll(): Promise<number> {
  const pending = rooms.flatMap((room) => room.urls.map((url) => ({ url, topic: room.topic })));
  let failed = 0;
  // NOTE: bounded concurrency, so the ramp does not look like a SYN flood to either server.
  const workers = Array.from({ length: 32 }, async () => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      await connect(next.url, next.topic).catch(() => (failed += 1));
    }
  });
  await Promise.all(workers);
  // One ping round per socket: every subscribe has been processed once all pongs are in.
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          const onMessage = (data: Buffer) => {
            if (data.toString().includes('"pong"')) {
              client.socket.off('message', onMessage);
              resolve();
            }
          };
          client.socket.on('message', onMessage);
          client.socket.send('{"type":"ping"}');
        }),
    ),
  );
  return failed;
}

async function runLoad(
  mode: 'paced' | 'saturate',
  intervalMs: number,
  durationMs: number,
): Promise<RunResult> {
  const state = { histogram: newHistogram(), published: 0, delivered: 0 } as NonNullable<
    typeof run
  >;
  run = state;
  const timers: NodeJS.Timeout[] = [];
  let running = true;
  const send = (client: Client) => {
    if (!running || client.socket.readyState !== WebSocket.OPEN) return;
    client.awaitingEcho = true;
    client.socket.send(frameFor(client));
    state.published += 1;
  };
  if (mode === 'paced') {
    for (const client of clients) {
      // Spread the clients evenly over the interval instead of publishing in lockstep.
      const start = setTimeout(() => {
        send(client);
        timers.push(setInterval(() => send(client), intervalMs));
      }, Math.random() * intervalMs);
      timers.push(start);
    }
  } else {
    state.onEcho = (client) => {
      client.awaitingEcho = false;
      const wait = client.lastSentAt + intervalMs - performance.now();
      if (wait <= 0) send(client);
      else timers.push(setTimeout(() => send(client), wait));
    };
    for (const client of clients)
      timers.push(setTimeout(() => send(client), Math.random() * intervalMs));
  }
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  running = false;
  for (const timer of timers) clearTimeout(timer);
  run = null;
  return {
    published: state.published,
    delivered: state.delivered,
    histogram: state.histogram,
    closedUnexpectedly,
  };
}

port.on('message', (command: LoadCommand) => {
  void (async () => {
    if (command.kind === 'connect')
      port.postMessage({ kind: 'connected', failed: await connectAll(), open: clients.length });
    else if (command.kind === 'run')
      port.postMessage({
        kind: 'ran',
        result: await runLoad(command.mode, command.intervalMs, command.durationMs),
      });
    else {
      closing = true;
      for (const client of clients) client.socket.terminate();
      port.postMessage({ kind: 'closed' });
    }
  })();
});
