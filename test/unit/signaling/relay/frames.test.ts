import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_SIGNAL_FRAME_BYTES,
  SignalCloseCode,
  SignalServerFrame,
} from '../../../../signaling/protocol';
import {
  ROOM_A,
  ROOM_B,
  startRelay,
  subscribedClient,
  TestClient,
  type RelayHarness,
} from './relay-harness';

describe("relay frames: y-webrtc's protocol, limited to the ticket's room", () => {
  let harness: RelayHarness;
  beforeEach(async () => {
    harness = await startRelay();
  });
  afterEach(() => harness.close());

  it('answers ping with pong', async () => {
    const client = await TestClient.open(
      `${harness.wsUrl}?ticket=${harness.ticket({ userId: 1, roomId: ROOM_A })}`,
    );
    client.send({ type: 'ping' });
    await client.waitFor(() => client.messages.length === 1);
    expect(client.messages[0]).toEqual({ type: 'pong' });
  });

  it('fans a publish out to every subscriber, sender included, untouched but for `clients`', async () => {
    const alice = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    const bob = await subscribedClient(harness, { userId: 2, roomId: ROOM_A });
    const carol = await subscribedClient(harness, { userId: 3, roomId: ROOM_A });
    const frame =
      '{"type":"publish","topic":"' +
      ROOM_A +
      '","data":"b3BhcXVl\\u002Bsecret","x":[1,{"y":null}]}';
    alice.send(frame);
    for (const client of [alice, bob, carol])
      await client.waitFor(() => client.countOf('publish') === 1);
    for (const client of [alice, bob, carol]) {
      expect(client.rawMessages.at(-1)).toBe(frame.slice(0, -1) + ',"clients":3}');
      expect(SignalServerFrame.parse(client.messages.at(-1))).toMatchObject({ clients: 3 });
    }
    // y-webrtc's unencrypted mode publishes objects; they pass through too.
    bob.send({ type: 'publish', topic: ROOM_A, data: { type: 'announce', from: 'peer-b' } });
    await carol.waitFor(() => carol.countOf('publish') === 2);
    expect(carol.messages.at(-1)).toEqual({
      type: 'publish',
      topic: ROOM_A,
      data: { type: 'announce', from: 'peer-b' },
      clients: 3,
    });
  });

  it('stops delivering after unsubscribe, and counts only remaining receivers', async () => {
    const alice = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    const bob = await subscribedClient(harness, { userId: 2, roomId: ROOM_A });
    bob.send({ type: 'unsubscribe', topics: [ROOM_A] });
    await bob.roundTrip();
    alice.send({ type: 'publish', topic: ROOM_A, data: 'x' });
    await alice.waitFor(() => alice.countOf('publish') === 1);
    await bob.roundTrip();
    expect(bob.countOf('publish')).toBe(0);
    expect(alice.messages.at(-1)).toMatchObject({ clients: 1 });
  });

  it("drops subscribes and publishes to another room's topic, keeping the socket", async () => {
    const insider = await subscribedClient(harness, { userId: 1, roomId: ROOM_B });
    const outsider = await TestClient.open(
      `${harness.wsUrl}?ticket=${harness.ticket({ userId: 2, roomId: ROOM_A })}`,
    );
    outsider.send({ type: 'subscribe', topics: [ROOM_B, ROOM_A] });
    outsider.send({ type: 'publish', topic: ROOM_B, data: 'intrusion' });
    await outsider.roundTrip();
    insider.send({ type: 'publish', topic: ROOM_B, data: 'private' });
    await insider.waitFor(() => insider.countOf('publish') === 1);
    await outsider.roundTrip();
    expect(insider.messages.filter((m) => JSON.stringify(m).includes('intrusion'))).toHaveLength(0);
    expect(outsider.countOf('publish')).toBe(0);
    expect(outsider.ws.readyState).toBe(outsider.ws.OPEN);
    expect(harness.relay.stats().foreignTopicFrames).toBe(2);
    expect(harness.events.filter((e) => e.details.reason === 'foreign_topic')).toHaveLength(1);
    // Its own room's topic in the same subscribe still went through.
    expect(harness.relay.connections().find((c) => c.userId === 2)?.subscribed).toBe(true);
  });

  it('accepts an empty subscribe, as y-webrtc sends before its password-derived key is ready', async () => {
    const client = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    client.send({ type: 'subscribe', topics: [] });
    await client.roundTrip();
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    expect(harness.relay.stats().invalidFrames).toBe(0);
  });

  it('closes with 1009 on a frame over 64 KiB, and the server carries on', async () => {
    const client = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    client.send({ type: 'publish', topic: ROOM_A, data: 'x'.repeat(MAX_SIGNAL_FRAME_BYTES) });
    expect((await client.closed).code).toBe(SignalCloseCode.tooBig);
    expect(
      harness.events.some((e) => e.type === 'ws.invalid_frame' && e.details.reason === 'too_big'),
    ).toBe(true);
    const next = await subscribedClient(harness, { userId: 2, roomId: ROOM_A });
    await next.roundTrip();
  });

  it('relays a frame just under 64 KiB', async () => {
    const client = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    const overhead = JSON.stringify({ type: 'publish', topic: ROOM_A, data: '' }).length;
    client.send({
      type: 'publish',
      topic: ROOM_A,
      data: 'y'.repeat(MAX_SIGNAL_FRAME_BYTES - overhead),
    });
    await client.waitFor(() => client.countOf('publish') === 1);
  });

  it.each([
    ['malformed JSON', '{"type":"publish",'],
    ['a JSON array', '[1,2,3]'],
    ['an unknown type', '{"type":"announce"}'],
    ['a publish without data', `{"type":"publish","topic":"${ROOM_A}"}`],
    ['a subscribe with a non-string topic', '{"type":"subscribe","topics":[42]}'],
    ['too many topics', JSON.stringify({ type: 'subscribe', topics: Array(9).fill(ROOM_A) })],
  ])('closes with 1007 on %s', async (_name, frame) => {
    const client = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    client.send(frame);
    expect((await client.closed).code).toBe(SignalCloseCode.invalidFrame);
    expect(harness.events.some((e) => e.type === 'ws.invalid_frame')).toBe(true);
    expect(JSON.stringify(harness.events)).not.toContain(frame);
  });

  it('closes with 1007 on a binary frame', async () => {
    const client = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    client.ws.send(Buffer.from('{"type":"ping"}'), { binary: true });
    expect((await client.closed).code).toBe(SignalCloseCode.invalidFrame);
  });
});
