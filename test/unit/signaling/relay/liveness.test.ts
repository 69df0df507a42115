import { afterEach, describe, expect, it } from 'vitest';
import { SignalCloseCode } from '../../../../signaling/protocol';
import {
  ROOM_A,
  startRelay,
  subscribedClient,
  TestClient,
  waitUntil,
  type RelayHarness,
} from './relay-harness';

describe('relay liveness: dead and slow sockets are dropped', () => {
  let harness: RelayHarness;
  afterEach(() => harness.close());

  it('drops a socket that stops answering heartbeats and keeps one that answers', async () => {
    harness = await startRelay({ heartbeatIntervalMs: 100 });
    const url = `${harness.wsUrl}?ticket=${harness.ticket({ userId: 1, roomId: ROOM_A })}`;
    const dead = await TestClient.open(url, { autoPong: false });
    const healthy = await TestClient.open(url);
    await dead.closed;
    expect(harness.relay.stats().heartbeatDrops).toBe(1);
    await waitUntil(() => harness.relay.connections().length === 1);
    expect(healthy.ws.readyState).toBe(healthy.ws.OPEN);
    await healthy.roundTrip();
  });

  it('drops a receiver that stops reading instead of buffering for it forever', async () => {
    harness = await startRelay({
      maxBufferedBytes: 256 * 1024,
      connectionPoints: 100_000,
      userPoints: 100_000,
    });
    const sender = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    const stalled = await subscribedClient(harness, { userId: 2, roomId: ROOM_A });
    const reader = await subscribedClient(harness, { userId: 3, roomId: ROOM_A });
    stalled.ws.pause();
    const frame = JSON.stringify({ type: 'publish', topic: ROOM_A, data: 'z'.repeat(60_000) });
    let sent = 0;
    // Bounded: loopback socket buffers hold a few MB, so this ends long before 2,000 frames.
    while (harness.relay.stats().slowConsumersDropped === 0 && sent < 2_000) {
      for (let i = 0; i < 20; i += 1) sender.send(frame);
      sent += 20;
      await sender.roundTrip();
    }
    expect(harness.relay.stats().slowConsumersDropped).toBe(1);
    await waitUntil(() => harness.relay.connections().length === 2);
    expect(
      harness.relay
        .connections()
        .map((c) => c.userId)
        .sort(),
    ).toEqual([1, 3]);
    // The reader that kept up got everything, and keeps getting new frames.
    await reader.waitFor(() => reader.countOf('publish') === sent);
    sender.send({ type: 'publish', topic: ROOM_A, data: 'after' });
    await reader.waitFor(() => reader.countOf('publish') === sent + 1);
    expect(reader.messages.at(-1)).toMatchObject({ clients: 2 });
    stalled.ws.resume();
    const { code } = await stalled.closed;
    expect([SignalCloseCode.slowConsumer, 1006]).toContain(code);
    expect(harness.events.some((e) => e.type === 'ws.slow_consumer')).toBe(true);
  });
});
