import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalCloseCode } from '../../../signaling/protocol';
import {
  ROOM_A,
  ROOM_B,
  startRelay,
  TestClient,
  type RelayHarness,
  waitUntil,
} from '../../unit/signaling/relay/relay-harness';
import { hostileFrames, type HostileFrame } from './malformed-frames';

const FRAME_COUNT = 10_000;
const FUZZ_USERS = 200;

interface Outcomes {
  invalidFrameCloses: number;
  tooBigCloses: number;
  droppedAndKept: number;
  otherCloses: Record<number, number>;
}

/** Throws every frame, one at a time per socket, and learns what the relay did with each. */
async function throwFrames(
  harness: RelayHarness,
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
        const userId = 1_000 + (connections++ % FUZZ_USERS);
        client = await TestClient.open(
          `${harness.wsUrl}?ticket=${harness.ticket({ userId, roomId: ROOM_A })}`,
        );
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

describe('relay fuzz: 10,000 hostile frames', () => {
  let harness: RelayHarness;
  beforeAll(async () => {
    harness = await startRelay();
  });
  afterAll(() => harness.close());

  it('never crashes and keeps relaying for a well-behaved pair meanwhile', async () => {
    const frames = hostileFrames(FRAME_COUNT - 20, ROOM_B, 20261121);
    // A few frames over 64 KiB, spread through the run.
    for (let i = 0; i < 20; i += 1) {
      frames.splice(i * 400, 0, {
        data: JSON.stringify({ type: 'publish', topic: ROOM_A, data: 'x'.repeat(70_000) }),
        binary: false,
      });
    }
    expect(frames).toHaveLength(FRAME_COUNT);

    const progress = { thrown: 0 };
    const fuzzing = throwFrames(harness, frames, 16, progress);
    let done = false;
    void fuzzing.finally(() => (done = true));

    // The pair joins while the fuzzer is already running, and relays until it stops.
    const ticketFor = (userId: number) =>
      `${harness.wsUrl}?ticket=${harness.ticket({ userId, roomId: ROOM_B })}`;
    const alice = await TestClient.open(ticketFor(1));
    const bob = await TestClient.open(ticketFor(2));
    alice.send({ type: 'subscribe', topics: [ROOM_B] });
    bob.send({ type: 'subscribe', topics: [ROOM_B] });
    await alice.roundTrip();
    await bob.roundTrip();
    let rounds = 0;
    // One offer/answer per 500 hostile frames: a realistic pace that stays within its limits.
    while (!done) {
      await waitUntil(() => done || progress.thrown >= (rounds + 1) * 500, 60_000);
      const offer = `offer-${rounds}`;
      alice.send({ type: 'publish', topic: ROOM_B, data: offer });
      await bob.waitFor(
        () => bob.messages.some((m) => (m as { data?: string }).data === offer),
        10_000,
      );
      bob.send({ type: 'publish', topic: ROOM_B, data: `answer-${rounds}` });
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
    expect(alice.messages.every((m) => !JSON.stringify(m).includes(ROOM_A))).toBe(true);
    expect(alice.ws.readyState).toBe(alice.ws.OPEN);
    expect(bob.ws.readyState).toBe(bob.ws.OPEN);
    const stats = harness.relay.stats();
    expect(stats.invalidFrames).toBe(outcomes.invalidFrameCloses + outcomes.tooBigCloses);
  });
});
