// A hostile relay for tests: a man in the middle on 127.0.0.1 between clients and the real
// server. HTTP passes through untouched (login, admission); on the `/signal` WebSocket it
// rewrites what the server delivers to each client, so every client sees an attacker:
//   'pass'    forwards everything (a control),
//   'tamper'  flips a bit in, or substitutes, the payload of every publish frame; and a
//             client that joins late is sent altered copies of earlier frames (y-webrtc
//             announces only once, so it would otherwise never hear anything),
//   'replay'  forwards everything AND sends old frames again and swaps the order of frames.
// Point a client's --server at `url`; the room links it makes then name this relay too.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomInt } from 'node:crypto';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export type RelayMode = 'pass' | 'tamper' | 'replay';

export interface RelayStats {
  /** Publish frames the server sent towards clients. */
  publishes: number;
  tampered: number;
  substituted: number;
  replayed: number;
  reordered: number;
}

export interface TamperingRelay {
  readonly url: string;
  mode: RelayMode;
  readonly stats: RelayStats;
  close(): Promise<void>;
}

/** One bit of the base64 payload changed: still valid base64, no longer authentic. */
function flipOneBit(data: string): string {
  if (data.length === 0) return 'A';
  const at = randomInt(data.length);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const index = alphabet.indexOf(data[at]!);
  const replacement = index < 0 ? 'A' : alphabet[index ^ 1]!;
  return data.slice(0, at) + replacement + data.slice(at + 1);
}

function mutateFrame(text: string, stats: RelayStats): string {
  let frame: { type?: unknown; data?: unknown };
  try {
    frame = JSON.parse(text) as typeof frame;
  } catch {
    return text;
  }
  if (frame.type !== 'publish') return text;
  if (typeof frame.data === 'string') {
    // Half the frames get one flipped bit, half a same-length payload of the attacker's own.
    if (randomInt(2) === 0) {
      frame.data = flipOneBit(frame.data);
      stats.tampered++;
    } else {
      frame.data = randomBytes(Math.max(1, Math.floor((frame.data.length * 3) / 4))).toString(
        'base64url',
      );
      stats.substituted++;
    }
  } else {
    // An unsealed payload (a client that forgot to seal): substitute a forged signal.
    frame.data = {
      type: 'signal',
      to: 'anyone',
      from: 'mallory',
      signal: { type: 'offer', sdp: 'v=0' },
    };
    stats.substituted++;
  }
  return JSON.stringify(frame);
}

function isPublish(text: string): boolean {
  return text.startsWith('{') && text.includes('"publish"');
}

interface RelayState {
  mode: RelayMode;
  stats: RelayStats;
  /** The latest publish frames the server delivered to anyone. */
  recent: string[];
}

function bridge(client: WebSocket, upstream: WebSocket, relay: RelayState) {
  const early: RawData[] = [];
  const seen: string[] = [];
  let greeted = false;
  let held: string | null = null;
  const toClient = (text: string) => {
    if (client.readyState === WebSocket.OPEN) client.send(text);
  };

  client.on('message', (data) => {
    if (relay.mode === 'tamper' && !greeted && isPublish(data.toString())) {
      // Its first publish: the client is set up. Feed it the room's past, altered.
      greeted = true;
      for (const old of relay.recent) toClient(mutateFrame(old, relay.stats));
    }
    if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: false });
    else early.push(data);
  });
  upstream.on('open', () => {
    for (const data of early.splice(0)) upstream.send(data, { binary: false });
  });
  upstream.on('message', (data) => {
    const text = data.toString();
    if (!isPublish(text)) return toClient(text);
    relay.stats.publishes++;
    relay.recent.push(text);
    if (relay.recent.length > 10) relay.recent.shift();
    if (relay.mode === 'pass') return toClient(text);
    if (relay.mode === 'tamper') return toClient(mutateFrame(text, relay.stats));
    // 'replay': every frame still arrives, but out of order and alongside old copies.
    seen.push(text);
    if (seen.length > 200) seen.shift();
    if (held === null && randomInt(3) === 0) {
      held = text; // goes out after the next frame: a swap
      relay.stats.reordered++;
      return;
    }
    toClient(text);
    if (held !== null) {
      toClient(held);
      held = null;
    }
    const old = seen[randomInt(seen.length)]!;
    toClient(old);
    relay.stats.replayed++;
  });
  // A held frame is not lost when the stream goes quiet.
  const flush = setInterval(() => {
    if (held !== null) {
      toClient(held);
      held = null;
    }
  }, 200);
  const closeBoth = (code?: number, reason?: Buffer) => {
    clearInterval(flush);
    const safeCode = code && code >= 3000 && code < 5000 ? code : 1000;
    if (client.readyState === WebSocket.OPEN) client.close(safeCode, reason);
    if (upstream.readyState === WebSocket.OPEN || upstream.readyState === WebSocket.CONNECTING) {
      upstream.terminate();
    }
  };
  upstream.on('close', (code, reason) => closeBoth(code, reason));
  upstream.on('error', () => closeBoth());
  client.on('close', () => closeBoth());
  client.on('error', () => closeBoth());
}

export async function startTamperingRelay(
  serverUrl: string,
  mode: RelayMode = 'tamper',
): Promise<TamperingRelay> {
  const target = new URL(serverUrl);
  const relay: RelayState = {
    mode,
    stats: { publishes: 0, tampered: 0, substituted: 0, replayed: 0, reordered: 0 },
    recent: [],
  };
  const sockets = new Set<WebSocket>();
  const httpServer = http.createServer((req, res) => {
    const forward = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502).end();
    });
    req.pipe(forward);
  });
  const wss = new WebSocketServer({ noServer: true });
  httpServer.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (client) => {
      const upstream = new WebSocket(`ws://${target.host}${req.url ?? '/'}`, {
        headers: req.headers.cookie ? { cookie: req.headers.cookie } : {},
      });
      sockets.add(client).add(upstream);
      client.on('close', () => sockets.delete(client));
      upstream.on('close', () => sockets.delete(upstream));
      bridge(client, upstream, relay);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return relay.mode;
    },
    set mode(next: RelayMode) {
      relay.mode = next;
    },
    stats: relay.stats,
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
