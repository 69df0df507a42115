import { afterEach, describe, expect, it } from 'vitest';
import { ROOM_A, startRelay, TestClient, upgradeStatus, type RelayHarness } from './relay-harness';

describe('relay behind a reverse proxy (TRUST_PROXY)', () => {
  let harness: RelayHarness;
  afterEach(() => harness.close());

  const forwarded = { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' };

  it('takes the client address and scheme from a trusted proxy', async () => {
    harness = await startRelay({}, 'loopback');
    const url = `${harness.wsUrl}?ticket=${harness.ticket({ userId: 1, roomId: ROOM_A })}`;
    expect(await upgradeStatus(url, { ...forwarded, Origin: `https://${harness.host}` })).toBe(101);
    const client = await TestClient.open(url, { headers: forwarded });
    await client.roundTrip();
    expect(harness.relay.connections().map((c) => c.ip)).toContain('203.0.113.7');
    // So an IP ban of the real client address reaches the socket.
    expect(harness.relay.disconnect({ ip: '203.0.113.7' }, 4004, 'banned')).toBeGreaterThanOrEqual(
      1,
    );
  });

  it('ignores forwarding headers when no proxy is trusted', async () => {
    harness = await startRelay();
    const url = `${harness.wsUrl}?ticket=${harness.ticket({ userId: 1, roomId: ROOM_A })}`;
    expect(await upgradeStatus(url, { ...forwarded, Origin: `https://${harness.host}` })).toBe(403);
    const client = await TestClient.open(url, { headers: forwarded });
    await client.roundTrip();
    expect(harness.relay.connections().map((c) => c.ip)).toEqual(['127.0.0.1']);
  });
});
