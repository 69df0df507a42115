import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignalCloseCode } from '../../../../signaling/protocol';
import {
  ROOM_A,
  ROOM_B,
  startRelay,
  subscribedClient,
  TestClient,
  upgradeStatus,
  waitUntil,
  type RelayHarness,
} from './relay-harness';

describe('relay upgrade: who gets a signaling socket', () => {
  let harness: RelayHarness;
  beforeEach(async () => {
    harness = await startRelay();
  });
  afterEach(() => harness.close());

  it('refuses a socket without a ticket with 401', async () => {
    expect(await upgradeStatus(harness.wsUrl)).toBe(401);
  });

  it('refuses a forged or garbled ticket with 401', async () => {
    const good = harness.ticket({ userId: 1, roomId: ROOM_A });
    const forged = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
    expect(await upgradeStatus(`${harness.wsUrl}?ticket=${forged}`)).toBe(401);
    expect(await upgradeStatus(`${harness.wsUrl}?ticket=not-a-ticket`)).toBe(401);
  });

  it('refuses an expired ticket with 401 so the client re-admits', async () => {
    const expired = harness.expiredTicket({ userId: 1, roomId: ROOM_A });
    expect(await upgradeStatus(`${harness.wsUrl}?ticket=${expired}`)).toBe(401);
  });

  it('admits a valid ticket and records the admission without the ticket', async () => {
    const ticket = harness.ticket({ userId: 7, roomId: ROOM_A });
    expect(await upgradeStatus(`${harness.wsUrl}?ticket=${ticket}`)).toBe(101);
    const admitted = harness.events.filter((e) => e.type === 'ws.admitted');
    expect(admitted).toHaveLength(1);
    expect(admitted[0]!.details).toMatchObject({ userId: 7, roomId: ROOM_A });
    expect(JSON.stringify(harness.events)).not.toContain(ticket.split('.')[1]);
  });

  it('refuses a foreign Origin with 403 and accepts same-origin, allowed and absent ones', async () => {
    const url = `${harness.wsUrl}?ticket=${harness.ticket({ userId: 1, roomId: ROOM_A })}`;
    expect(await upgradeStatus(url, { Origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, { Origin: `https://${harness.host}` })).toBe(403);
    expect(await upgradeStatus(url, { Origin: 'null' })).toBe(403);
    expect(await upgradeStatus(url, { Origin: `http://${harness.host}` })).toBe(101);
    expect(await upgradeStatus(url, { Origin: 'https://allowed.example' })).toBe(101);
    expect(await upgradeStatus(url)).toBe(101);
    expect(harness.events.some((e) => e.type === 'ws.refused' && e.details.status === 403)).toBe(
      true,
    );
  });

  it('answers 404 for WebSocket upgrades on any other path', async () => {
    const url = harness.wsUrl.replace('/signal', '/other');
    expect(
      await upgradeStatus(`${url}?ticket=${harness.ticket({ userId: 1, roomId: ROOM_A })}`),
    ).toBe(404);
  });

  it('refuses a banned user with 403 and a closed room with 410', async () => {
    harness.banned.add(`${ROOM_A}:3`);
    expect(
      await upgradeStatus(
        `${harness.wsUrl}?ticket=${harness.ticket({ userId: 3, roomId: ROOM_A })}`,
      ),
    ).toBe(403);
    harness.closedRooms.add(ROOM_A);
    expect(
      await upgradeStatus(
        `${harness.wsUrl}?ticket=${harness.ticket({ userId: 4, roomId: ROOM_A })}`,
      ),
    ).toBe(410);
  });

  it('caps the sockets one account may hold (429), freeing a slot when one closes', async () => {
    await harness.close();
    harness = await startRelay({ maxConnectionsPerUser: 2 });
    const url = `${harness.wsUrl}?ticket=${harness.ticket({ userId: 9, roomId: ROOM_A })}`;
    const first = await TestClient.open(url);
    await TestClient.open(url);
    expect(await upgradeStatus(url)).toBe(429);
    expect(
      await upgradeStatus(
        `${harness.wsUrl}?ticket=${harness.ticket({ userId: 10, roomId: ROOM_A })}`,
      ),
    ).toBe(101);
    first.ws.close();
    await first.closed;
    await waitUntil(() => harness.relay.connections().filter((c) => c.userId === 9).length === 1);
    expect(await upgradeStatus(url)).toBe(101);
  });

  it('answers 503 when the room database fails, and carries on', async () => {
    const live = await subscribedClient(harness, { userId: 1, roomId: ROOM_A });
    const late = await TestClient.open(
      `${harness.wsUrl}?ticket=${harness.ticket({ userId: 3, roomId: ROOM_B })}`,
    );
    harness.faults.admissionThrows = true;
    const url = `${harness.wsUrl}?ticket=${harness.ticket({ userId: 2, roomId: ROOM_A })}`;
    expect(await upgradeStatus(url)).toBe(503);
    // A subscribe needing the same check costs that one socket (1011), not the process.
    late.send({ type: 'subscribe', topics: [ROOM_B] });
    expect((await late.closed).code).toBe(1011);
    harness.faults.admissionThrows = false;
    expect(await upgradeStatus(url)).toBe(101);
    await live.roundTrip();
  });

  it('keeps a live socket whose ticket expires, but a later subscribe gets 4001', async () => {
    const { ticket, expiresAt } = harness.shortTicket({ userId: 5, roomId: ROOM_A }, 400);
    const early = await TestClient.open(`${harness.wsUrl}?ticket=${ticket}`);
    early.send({ type: 'subscribe', topics: [ROOM_A] });
    const late = await TestClient.open(`${harness.wsUrl}?ticket=${ticket}`);
    await early.roundTrip();
    await waitUntil(() => Date.now() > expiresAt);
    late.send({ type: 'subscribe', topics: [ROOM_A] });
    expect((await late.closed).code).toBe(SignalCloseCode.ticketExpired);
    // The socket admitted while the ticket was valid still relays.
    const other = await subscribedClient(harness, { userId: 6, roomId: ROOM_A });
    other.send({ type: 'publish', topic: ROOM_A, data: 'after-expiry' });
    await early.waitFor(() => early.countOf('publish') === 1);
    expect(early.ws.readyState).toBe(early.ws.OPEN);
  });
});
