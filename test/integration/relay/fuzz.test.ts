import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalCloseCode } from '../../../signaling/protocol';
import { api, roomKey } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { TestClient, waitUntil } from '../../unit/signaling/relay/relay-harness';
import { hostileFrames, type HostileFrame } from './malformed-frames';

const FRAME_COUNT = 10_000;
// The fuzzer spreads its sockets over many accounts, as many people would.
const FUZZ_USERS = 40;

interface Outcomes {
  invalidFrameCloses: number;
  tooBigCloses: number;
  droppedAndKept: number;
  otherCloses: Record<number, number>;
}

/** Throws every frame, one at a time per socket, and learns what the relay did with each. */
async function throwFrames(
  fuzzUrls: string[],
  frames: HostileFrame[],
  concurrency: number,
  progress: { thrown: number },
): Promise<Outcomes> {
  const outcomes: Outcomes = {
    invalidFrameCloses: 0,
    tooBigCloses: 0,
    droppedAndKept: 0,
    otherCloses: {},
  };
  let connections = 0;
  const worker = async () => {
    let client: TestClient | null = null;
    let sentOnThisSocket = 0;
    while (progress.thrown < frames.length) {
      const frame = frames[progress.thrown++]!;
      if (!client || sentOnThisSocket >= 40) {
        client?.ws.close();
        client = await TestClient.open(fuzzUrls[connections++ % fuzzUrls.length]!);
        sentOnThisSocket = 0;
      }
      sentOnThisSocket += 1;
      client.ws.send(frame.data, { binary: frame.binary });
      const pongs = client.countOf('pong');
      client.send({ type: 'ping' });
      const current: TestClient = client;
      const result = await Promise.race([
        current.closed,
        current.waitFor(() => current.countOf('pong') > pongs, 10_000).then(() => null),
      ]);
      if (result === null) {
        outcomes.droppedAndKept += 1;
        continue;
      }
      if (result.code === SignalCloseCode.invalidFrame) outcomes.invalidFrameCloses += 1;
      else if (result.code === SignalCloseCode.tooBig) outcomes.tooBigCloses += 1;
      else outcomes.otherCloses[result.code] = (outcomes.otherCloses[result.code] ?? 0) + 1;
      client = null;
    }
    client?.ws.close();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

describe('relay fuzz: 10,000 hostile frames at the real server', () => {
  let server: TestServer;
  let fuzzRoom: string;
  let pairRoom: string;
  const fuzzUrls: string[] = [];
  const pairUrls: string[] = [];

  beforeAll(async () => {
    // Account creation limits are not under test here; 42 sign-ups from one address are.
    const generous = { points: 1_000, durationSeconds: 3_600 };
    server = await startTestServer(
      {},
      {
        rateLimits: { registerPerIp: generous, loginPerIp: generous },
        // NOTE: frame budgets are not under test here either (flood.test.ts covers them at
        // production values): on a fast, idle machine the fuzzer outran a user's 400 points
        // per 10 s, its ping was dropped as throttled, and the run failed by timing alone.
        relayTuning: { connectionPoints: 1_000_000, userPoints: 1_000_000 },
      },
    );
    const client = api(server.url);
    const fuzzKey = roomKey();
    const pairKey = roomKey();
    const fuzzHost = await client.signUp('fuzzer0');
    fuzzRoom = await client.createRoom(fuzzHost, { verifier: fuzzKey.verifier, capacity: 64 });
    const cookies = [fuzzHost];
    for (let i = 1; i < FUZZ_USERS; i += 1) cookies.push(await client.signUp(`fuzzer${i}`));
    for (const cookie of cookies) {
      fuzzUrls.push(
        `${server.wsUrl}?ticket=${await client.admit(cookie, fuzzRoom, { admit: fuzzKey.admit })}`,
      );
    }
    const alice = await client.signUp('alice');
    const bob = await client.signUp('bob');
    pairRoom = await client.createRoom(alice, { verifier: pairKey.verifier });
    for (const cookie of [alice, bob]) {
      pairUrls.push(
        `${server.wsUrl}?ticket=${await client.admit(cookie, pairRoom, { admit: pairKey.admit })}`,
      );
    }
  });
  afterAll(() => server.close());

  // The timeout is generous: the run takes about 20 s alone, longer when the whole suite
  // shares the CPU.
  it('never crashes and keeps relaying for a well-behaved pair meanwhile', async () => {
    const frames = hostileFrames(FRAME_COUNT - 20, pairRoom, 20261121);
    // A few frames over 64 KiB, spread through the run.
    for (let i = 0; i < 20; i += 1) {
      frames.splice(i * 400, 0, {
        data: JSON.stringify({ type: 'publish', topic: fuzzRoom, data: 'x'.repeat(70_000) }),
        binary: false,
      });
    }
    expect(frames).toHaveLength(FRAME_COUNT);

    const progress = { thrown: 0 };
    const fuzzing = throwFrames(fuzzUrls, frames, 16, progress);
    let done = false;
    void fuzzing.finally(() => (done = true));

    // The pair joins while the fuzzer is already running, and relays until it stops.
    await waitUntil(() => progress.thrown >= 200, 30_000);
    const alice = await TestClient.open(pairUrls[0]!);
    const bob = await TestClient.open(pairUrls[1]!);
    alice.send({ type: 'subscribe', topics: [pairRoom] });
    bob.send({ type: 'subscribe', topics: [pairRoom] });
    await alice.roundTrip();
    await bob.roundTrip();
    let rounds = 0;
    // One offer/answer per 500 hostile frames: a realistic pace that stays within its limits.
    while (!done) {
      await waitUntil(() => done || progress.thrown >= (rounds + 1) * 500, 60_000);
      const offer = `offer-${rounds}`;
      alice.send({ type: 'publish', topic: pairRoom, data: offer });
      await bob.waitFor(
        () => bob.messages.some((m) => (m as { data?: string }).data === offer),
        10_000,
      );
      bob.send({ type: 'publish', topic: pairRoom, data: `answer-${rounds}` });
      await alice.waitFor(
        () => alice.messages.some((m) => (m as { data?: string }).data === `answer-${rounds}`),
        10_000,
      );
      rounds += 1;
    }
    const outcomes = await fuzzing;

    expect(outcomes.otherCloses).toEqual({});
    expect(outcomes.tooBigCloses).toBe(20);
    expect(outcomes.invalidFrameCloses + outcomes.tooBigCloses + outcomes.droppedAndKept).toBe(
      FRAME_COUNT,
    );
    // Most hostile frames are fatal to their socket; the foreign-topic ones are dropped.
    expect(outcomes.invalidFrameCloses).toBeGreaterThan(FRAME_COUNT / 2);
    expect(outcomes.droppedAndKept).toBeGreaterThan(100);
    expect(rounds).toBeGreaterThanOrEqual(15);
    // The pair saw its own signaling and nothing the fuzzer aimed at its room.
    const pairData = [...alice.messages, ...bob.messages]
      .filter((m) => (m as { type: string }).type === 'publish')
      .map((m) => (m as { data: unknown }).data);
    expect(pairData.every((data) => /^(offer|answer)-\d+$/.test(String(data)))).toBe(true);
    expect(alice.ws.readyState).toBe(alice.ws.OPEN);
    expect(bob.ws.readyState).toBe(bob.ws.OPEN);
    const stats = server.relay.stats();
    expect(stats.invalidFrames).toBe(outcomes.invalidFrameCloses + outcomes.tooBigCloses);
  }, 150_000);
});
