// One-way message latency over the secure channel vs a raw data-channel send, in the same
// run over the same RTCPeerConnection pair (@roamhq/wrtc, loopback). Each side has its own
// crypto worker (as two real peers do), so the secure figure includes the Comlink hops.
// Sends alternate secure and raw, one message in flight at a time, so both see the same
// load; both ends are in this process, so one clock times send -> receive.
import wrtc from '@roamhq/wrtc';
import { startNodeCryptoWorker, type NodeCryptoWorker } from '../client/crypto/node-worker';

type Pc = RTCPeerConnection;
type Dc = RTCDataChannel;
const { RTCPeerConnection } = wrtc as unknown as {
  RTCPeerConnection: typeof globalThis.RTCPeerConnection;
};

const ROOM_ID = 'BenchRoomBenchRoomBe00';
const MESSAGE = new TextEncoder().encode(
  JSON.stringify({ type: 'chat', text: 'a typical chat line, about sixty characters long....' }),
);

function sdpFingerprint(sdp: string | undefined): string {
  const match = /a=fingerprint:(\S+) (\S+)/i.exec(sdp ?? '');
  if (!match) throw new Error('no DTLS fingerprint in the SDP');
  return `${match[1]!.toLowerCase()} ${match[2]!.toUpperCase()}`;
}

async function connectedPair(): Promise<{ a: Pc; b: Pc; close(): void }> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate);
  a.createDataChannel('bootstrap'); // an m=application section to negotiate
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  return {
    a,
    b,
    close() {
      a.close();
      b.close();
    },
  };
}

/** The same negotiated channel on both sides, open. */
async function negotiated(a: Pc, b: Pc, label: string, id: number): Promise<[Dc, Dc]> {
  const pair = [a, b].map((pc) => {
    const channel = pc.createDataChannel(label, { negotiated: true, id });
    channel.binaryType = 'arraybuffer';
    return channel;
  }) as [Dc, Dc];
  await Promise.all(
    pair.map(
      (channel) =>
        new Promise<void>((resolve) => {
          if (channel.readyState === 'open') resolve();
          else channel.addEventListener('open', () => resolve(), { once: true });
        }),
    ),
  );
  return pair;
}

function sendBytes(dc: Dc, bytes: Uint8Array): void {
  dc.send(bytes as Uint8Array<ArrayBuffer>);
}

interface Side {
  worker: NodeCryptoWorker;
  channel: string;
  dc: Dc;
  onMessage: (bytes: Uint8Array) => void;
}

/** The real handshake (identities, K_psk, DTLS fingerprints) through two crypto workers. */
async function secureSides(a: Pc, b: Pc, dcs: [Dc, Dc]): Promise<[Side, Side]> {
  const workers = [startNodeCryptoWorker(), startNodeCryptoWorker()];
  const { room } = await workers[0]!.api.createRoom();
  const link = await workers[0]!.api.roomLink(room, 'http://127.0.0.1', ROOM_ID);
  const fps = [a, b].map((pc) => ({
    local: sdpFingerprint(pc.localDescription?.sdp),
    remote: sdpFingerprint(pc.remoteDescription?.sdp),
  }));
  const sides = await Promise.all(
    workers.map(async (worker, i) => {
      const identity = await worker.api.createIdentity();
      const opened = await worker.api.openRoomLink(link);
      if (!opened.ok) throw new Error(opened.message);
      const { channel, hello } = await worker.api.openChannel({
        identity: identity.handle,
        room: opened.value.room,
        roomId: ROOM_ID,
        fingerprints: fps[i]!,
      });
      const side: Side & { hello: Uint8Array } = {
        worker,
        channel,
        hello,
        dc: dcs[i]!,
        onMessage: () => {},
      };
      return side;
    }),
  );
  let established = 0;
  const ready = new Promise<void>((resolve, reject) => {
    for (const side of sides) {
      side.dc.onmessage = async (event: MessageEvent) => {
        const outcome = await side.worker.api.channelReceive(
          side.channel,
          new Uint8Array(event.data as ArrayBuffer),
        );
        if (!outcome.ok) return reject(new Error(outcome.message));
        for (const reply of outcome.value.reply) sendBytes(side.dc, reply);
        if (outcome.value.established && ++established === 2) resolve();
        if (outcome.value.message) side.onMessage(outcome.value.message);
      };
    }
  });
  for (const side of sides) sendBytes(side.dc, side.hello);
  await ready;
  return [sides[0]!, sides[1]!];
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface LatencyFigures {
  secure: { p50: number; p99: number };
  raw: { p50: number; p99: number };
  samples: number;
}

export async function measureLatency(samples = 2000, warmup = 200): Promise<LatencyFigures> {
  const pair = await connectedPair();
  const secureDcs = await negotiated(pair.a, pair.b, 'secure', 7);
  const [rawA, rawB] = await negotiated(pair.a, pair.b, 'raw', 8);
  const [alice, bob] = await secureSides(pair.a, pair.b, secureDcs);

  let arrived: (() => void) | null = null;
  bob.onMessage = () => arrived?.();
  rawB.onmessage = () => arrived?.();
  const once = () => new Promise<void>((resolve) => (arrived = resolve));

  async function secureOnce(): Promise<number> {
    const started = performance.now();
    const received = once();
    const frames = await alice.worker.api.channelSend(alice.channel, MESSAGE.slice());
    if (!frames.ok) throw new Error(frames.message);
    for (const frame of frames.value) sendBytes(alice.dc, frame);
    await received;
    return performance.now() - started;
  }
  async function rawOnce(): Promise<number> {
    const started = performance.now();
    const received = once();
    rawA.send(MESSAGE.slice());
    await received;
    return performance.now() - started;
  }

  const secure: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < warmup + samples; i++) {
    // Alternate which goes first, so neither always runs right after the other.
    let s: number;
    let r: number;
    if (i % 2 === 0) {
      s = await secureOnce();
      r = await rawOnce();
    } else {
      r = await rawOnce();
      s = await secureOnce();
    }
    if (i >= warmup) {
      secure.push(s);
      raw.push(r);
    }
  }
  pair.close();
  await Promise.all([alice.worker.terminate(), bob.worker.terminate()]);
  const sorted = (xs: number[]) => xs.slice().sort((x, y) => x - y);
  const [s, r] = [sorted(secure), sorted(raw)];
  return {
    secure: { p50: percentile(s, 50), p99: percentile(s, 99) },
    raw: { p50: percentile(r, 50), p99: percentile(r, 99) },
    samples: s.length,
  };
}
