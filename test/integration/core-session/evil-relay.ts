// A relay in the middle of /signal: it passes every frame on to the real server and back,
// and on the way to the clients either tampers with every publish (flipped bits, its own
// payloads) or replays and reorders them on top of passing them.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export type EvilMode = 'tamper' | 'replay';

export interface EvilRelay {
  wsBase: string;
  /** Publish frames it altered or replayed. */
  meddled: number;
  close(): Promise<void>;
}

function flipNearEnd(text: string): string {
  const i = text.length - 8;
  const swapped = text[i] === 'A' ? 'B' : 'A';
  return text.slice(0, i) + swapped + text.slice(i + 1);
}

export async function startEvilRelay(upstreamWsBase: string, mode: EvilMode): Promise<EvilRelay> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const relay: EvilRelay = { wsBase: '', meddled: 0, close: async () => undefined };
  let turn = 0;
  wss.on('connection', (client, req) => {
    const upstream = new WebSocket(upstreamWsBase + (req.url ?? ''));
    const early: RawData[] = [];
    const history: string[] = [];
    let held: string | null = null;
    client.on('message', (data) => {
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data.toString());
      else early.push(data);
    });
    upstream.on('open', () => {
      for (const data of early.splice(0)) upstream.send(data.toString());
    });
    const toClient = (text: string) => {
      if (client.readyState === WebSocket.OPEN) client.send(text);
    };
    upstream.on('message', (data) => {
      const text = data.toString();
      const frame = JSON.parse(text) as { type: string; data?: unknown };
      if (frame.type !== 'publish') return toClient(text);
      relay.meddled++;
      if (mode === 'tamper') {
        turn++;
        const forged =
          turn % 3 === 0
            ? { ...frame, data: { type: 'announce', from: 'relay-peer' } }
            : turn % 3 === 1
              ? { ...frame, data: flipNearEnd(String(frame.data)) }
              : { ...frame, data: Buffer.from(`forged ${turn}`).toString('base64url') };
        return toClient(JSON.stringify(forged));
      }
      // Replay: pass it on, repeat an older one, and swap the order of pairs.
      history.push(text);
      if (held === null) {
        held = text;
        setImmediate(() => {
          if (held !== null) toClient(held);
          held = null;
        });
      } else {
        toClient(text);
        toClient(held);
        held = null;
      }
      toClient(history[Math.floor(Math.random() * history.length)]!);
      toClient(text);
    });
    const closeWith = (socket: WebSocket, code: number, reason: Buffer) => {
      const valid = code === 1000 || (code >= 3000 && code <= 4999);
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close(valid ? code : 1000, reason.toString());
      }
    };
    upstream.on('close', (code, reason) => closeWith(client, code, reason));
    client.on('close', (code, reason) => closeWith(upstream, code, reason));
    upstream.on('error', () => client.terminate());
    client.on('error', () => upstream.terminate());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  relay.wsBase = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  relay.close = async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => http.close(() => resolve()));
  };
  return relay;
}
