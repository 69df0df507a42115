// A kick moves the room to a new epoch; with the device data key, the new epoch secret is
// kept (sealed) with the room, so the host who restarts comes back at that epoch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCryptoApi } from '../../../client/crypto/api';
import { MemoryHistoryStore } from '../../../client/core/memory-history-store';
import { RoomSession } from '../../../client/core/room-session';
import { ServerApi } from '../../../client/core/server-api';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';

describe('epoch secrets across restarts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const client = api(server.url);
    for (const name of ['alice', 'mallory']) await client.register(name);
  });
  afterAll(async () => {
    await server.close();
  });

  it('keeps the rotated epoch, sealed under the data key, and restores it on rejoin', async () => {
    const crypto = createCryptoApi();
    const store = new MemoryHistoryStore();
    const dataKey = await crypto.createDataKey();
    const serverApi = new ServerApi({ baseUrl: server.url });
    await serverApi.login('alice', TEST_PASSWORD);
    const options = {
      server: serverApi,
      crypto,
      identity: await crypto.createIdentity(),
      store,
      displayName: 'Alice',
      username: 'alice',
      WebSocket,
      dataKey,
    };
    const { session, link } = await RoomSession.create({ ...options, origin: server.url });
    expect(session.stats().epoch).toBe(0);
    await session.kick('mallory');
    expect(session.stats().epoch).toBe(1);
    await session.leave();

    const stored = await store.getRoom(session.roomId);
    expect(stored?.epoch).toBe(1);
    expect(stored?.removed).toContain('user:mallory');
    // Only the sealed record is stored: no secret in the clear.
    expect(stored?.secrets).toHaveLength(1);
    expect(stored!.secrets[0]!.record.length).toBeGreaterThan(2 * 32);

    const again = await RoomSession.join(link, options);
    try {
      expect(again.stats().epoch).toBe(1);
    } finally {
      await again.leave();
    }
    // Without the data key only the link's epoch 0 is known.
    const forgetful = await RoomSession.join(link, { ...options, dataKey: undefined });
    try {
      expect(forgetful.stats().epoch).toBe(0);
    } finally {
      await forgetful.leave();
    }
  });
});
