import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalCloseCode } from '../../../signaling/protocol';
import { api, roomKey } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { TestClient } from '../../unit/signaling/relay/relay-harness';

describe('a flooder in the room, with the real server and production limits', () => {
  let server: TestServer;
  let roomId: string;
  const urls: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    const client = api(server.url);
    const key = roomKey();
    const cookies: Record<string, string> = {};
    for (const name of ['alice', 'bob', 'mallory']) cookies[name] = await client.signUp(name);
    roomId = await client.createRoom(cookies.alice!, { verifier: key.verifier });
    for (const name of ['alice', 'bob', 'mallory']) {
      const ticket = await client.admit(cookies[name]!, roomId, { admit: key.admit });
      urls[name] = `${server.wsUrl}?ticket=${ticket}`;
    }
  });
  afterAll(() => server.close());

  const join = async (name: string) => {
    const c = await TestClient.open(urls[name]!);
    c.send({ type: 'subscribe', topics: [roomId] });
    await c.roundTrip();
    return c;
  };

  it("is throttled, then dropped with 4029, while alice and bob's offer/answer takes under 1 s", async () => {
    const alice = await join('alice');
    const bob = await join('bob');
    const mallory = await Promise.all([join('mallory'), join('mallory')]);
    // NOTE: candidate-sized junk. With 30 KB frames the flooder's in-budget burst (a few
    // MB of fan-out) filled the queues of receivers living in this same process faster than
    // they could drain, and the relay dropped them as slow consumers before the rate limit
    // was ever reached: a real limit of the byte budget, noted in the README, not what this
    // test is about.
    const junk = JSON.stringify({ type: 'publish', topic: roomId, data: 'm'.repeat(500) });
    const floods = mallory.map(async (socket) => {
      while (socket.ws.readyState === socket.ws.OPEN) {
        for (let i = 0; i < 50; i += 1) socket.send(junk);
        await new Promise((resolve) => setImmediate(resolve));
      }
    });

    const has = (c: TestClient, data: string) =>
      c.messages.some((m) => (m as { data?: unknown }).data === data);
    const timings: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const started = performance.now();
      alice.send({ type: 'publish', topic: roomId, data: `offer-${round}` });
      await bob.waitFor(() => has(bob, `offer-${round}`));
      bob.send({ type: 'publish', topic: roomId, data: `answer-${round}` });
      await alice.waitFor(() => has(alice, `answer-${round}`));
      timings.push(performance.now() - started);
    }
    const closes = await Promise.all(mallory.map((socket) => socket.closed));
    await Promise.all(floods);

    expect(Math.max(...timings)).toBeLessThan(1_000);
    expect(closes.map((c) => c.code)).toEqual([
      SignalCloseCode.rateLimited,
      SignalCloseCode.rateLimited,
    ]);
    const log = server.services.securityLog.recent(200);
    const mallorysId = server.services.users.byUsername('mallory')!.id;
    expect(log.some((e) => e.type === 'ws.rate_limited' && e.details.userId === mallorysId)).toBe(
      true,
    );
    expect(log.some((e) => e.type === 'ws.rate_limited' && e.details.userId !== mallorysId)).toBe(
      false,
    );
    await alice.roundTrip();
    await bob.roundTrip();
  });
});
