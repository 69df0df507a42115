import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignalCloseCode } from '../../../../signaling/protocol';
import {
  ROOM_A,
  ROOM_B,
  startRelay,
  subscribedClient,
  upgradeStatus,
  waitUntil,
  type RelayHarness,
} from './relay-harness';

describe('relay moderation: kick, ban and close act on live sockets at once', () => {
  let harness: RelayHarness;
  beforeEach(async () => {
    harness = await startRelay();
  });
  afterEach(() => harness.close());

  it('kicks one user from one room and refuses their old ticket afterwards', async () => {
    const ticket = harness.ticket({ userId: 2, roomId: ROOM_A });
    const host = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    const kicked = await subscribedClient(harness, { userId: 2, roomId: ROOM_A });
    const elsewhere = await subscribedClient(harness, { userId: 2, roomId: ROOM_B });
    const kickedAt = Date.now();
    expect(
      harness.relay.disconnect({ roomId: ROOM_A, userId: 2 }, SignalCloseCode.kicked, 'kicked'),
    ).toBe(1);
    expect((await kicked.closed).code).toBe(SignalCloseCode.kicked);
    expect(await upgradeStatus(`${harness.wsUrl}?ticket=${ticket}`)).toBe(401);
    // A kick is not a ban: a ticket issued after it works.
    await waitUntil(() => Date.now() > kickedAt + 1);
    const fresh = harness.ticket({ userId: 2, roomId: ROOM_A });
    expect(await upgradeStatus(`${harness.wsUrl}?ticket=${fresh}`)).toBe(101);
    await host.roundTrip();
    await elsewhere.roundTrip();
    host.send({ type: 'publish', topic: ROOM_A, data: 'x' });
    await host.waitFor(() => host.countOf('publish') === 1);
    expect(host.messages.at(-1)).toMatchObject({ clients: 1 });
    expect(harness.events.some((e) => e.type === 'ws.kicked' && e.details.userId === 2)).toBe(true);
  });

  it('bans: closes with 4004, and the admission check refuses them from then on', async () => {
    const banned = await subscribedClient(harness, { userId: 2, roomId: ROOM_A });
    harness.banned.add(`${ROOM_A}:2`);
    expect(
      harness.relay.disconnect({ roomId: ROOM_A, userId: 2 }, SignalCloseCode.banned, 'banned'),
    ).toBe(1);
    expect((await banned.closed).code).toBe(SignalCloseCode.banned);
    expect(
      await upgradeStatus(
        `${harness.wsUrl}?ticket=${harness.ticket({ userId: 2, roomId: ROOM_A })}`,
      ),
    ).toBe(403);
  });

  it("closing a room closes every socket in it with 4010 and nobody else's", async () => {
    const a1 = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    const a2 = await subscribedClient(harness, { userId: 2, roomId: ROOM_A });
    const b1 = await subscribedClient(harness, { userId: 3, roomId: ROOM_B });
    harness.closedRooms.add(ROOM_A);
    expect(
      harness.relay.disconnect({ roomId: ROOM_A }, SignalCloseCode.roomClosed, 'room closed'),
    ).toBe(2);
    expect((await a1.closed).code).toBe(SignalCloseCode.roomClosed);
    expect((await a2.closed).code).toBe(SignalCloseCode.roomClosed);
    await b1.roundTrip();
    expect(harness.relay.connections().map((c) => c.roomId)).toEqual([ROOM_B]);
  });

  it('an IP ban closes every socket from that address', async () => {
    await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    await subscribedClient(harness, { userId: 2, roomId: ROOM_B });
    expect(harness.relay.disconnect({ ip: '127.0.0.1' }, SignalCloseCode.banned, 'banned')).toBe(2);
    expect(
      harness.relay.disconnect({}, SignalCloseCode.banned, 'an empty filter matches nobody'),
    ).toBe(0);
  });

  it('a subscribe after the room closed is refused with 4010', async () => {
    const client = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    client.send({ type: 'unsubscribe', topics: [ROOM_A] });
    harness.closedRooms.add(ROOM_A);
    client.send({ type: 'subscribe', topics: [ROOM_A] });
    expect((await client.closed).code).toBe(SignalCloseCode.roomClosed);
  });
});
