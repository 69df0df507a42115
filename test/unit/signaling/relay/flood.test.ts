import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignalCloseCode } from '../../../../signaling/protocol';
import type { TestClient } from './relay-harness';
import { ROOM_A, startRelay, subscribedClient, type RelayHarness } from './relay-harness';

/** Alice publishes an offer for Bob, Bob answers; resolves with the time it took. */
async function offerAnswer(alice: TestClient, bob: TestClient, round: number): Promise<number> {
  const started = performance.now();
  const offer = `offer-${round}`;
  const answer = `answer-${round}`;
  const has = (client: TestClient, data: string) =>
    client.messages.some((m) => (m as { data?: unknown }).data === data);
  alice.send({ type: 'publish', topic: ROOM_A, data: offer });
  await bob.waitFor(() => has(bob, offer), 5_000);
  bob.send({ type: 'publish', topic: ROOM_A, data: answer });
  await alice.waitFor(() => has(alice, answer), 5_000);
  return performance.now() - started;
}

describe('relay rate limits (production defaults)', () => {
  let harness: RelayHarness;
  beforeEach(async () => {
    harness = await startRelay();
  });
  afterEach(() => harness.close());

  it("throttles and then drops a flooder while two others' offer/answer completes within 1 s", async () => {
    const alice = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    const bob = await subscribedClient(harness, { userId: 2, roomId: ROOM_A });
    // The flooder uses three sockets at once, so the per-user budget matters too.
    const flooders = await Promise.all(
      [0, 1, 2].map(() => subscribedClient(harness, { userId: 3, roomId: ROOM_A })),
    );
    const junk = JSON.stringify({ type: 'publish', topic: ROOM_A, data: 'f'.repeat(8_000) });
    let flooding = true;
    const floods = flooders.map(async (flooder) => {
      while (flooding && flooder.ws.readyState === flooder.ws.OPEN) {
        for (let i = 0; i < 100; i += 1) flooder.send(junk);
        // Yield so the flood is continuous rather than one burst the kernel buffers.
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    const timings: number[] = [];
    for (let round = 0; round < 5; round += 1) timings.push(await offerAnswer(alice, bob, round));
    const closes = await Promise.all(flooders.map((f) => f.closed));
    flooding = false;
    await Promise.all(floods);

    expect(Math.max(...timings)).toBeLessThan(1_000);
    const limited = SignalCloseCode.rateLimited;
    expect(closes.map((c) => c.code)).toEqual([limited, limited, limited]);
    const stats = harness.relay.stats();
    expect(stats.droppedFrames).toBeGreaterThan(0);
    // The three sockets shared one user's budget: far fewer than 3 x 200 frames got through.
    const floodRelayed = bob.messages.filter((m) =>
      String((m as { data?: unknown }).data).startsWith('fff'),
    );
    expect(floodRelayed.length).toBeLessThanOrEqual(400);
    expect(harness.events.some((e) => e.type === 'ws.rate_limited' && e.details.userId === 3)).toBe(
      true,
    );
    // The well-behaved pair was never throttled and is still connected.
    expect(harness.events.some((e) => e.type === 'ws.rate_limited' && e.details.userId !== 3)).toBe(
      false,
    );
    await alice.roundTrip();
    await bob.roundTrip();
  });

  it('lets a realistic join burst through: 180 small frames in a second', async () => {
    const joiner = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    const peer = await subscribedClient(harness, { userId: 2, roomId: ROOM_A });
    for (let i = 0; i < 180; i += 1) {
      joiner.send({ type: 'publish', topic: ROOM_A, data: `candidate-${i}-${'c'.repeat(200)}` });
    }
    await peer.waitFor(() => peer.countOf('publish') === 180);
    expect(harness.relay.stats().droppedFrames).toBe(0);
  });
});
