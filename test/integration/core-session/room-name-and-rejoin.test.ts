// What the app needs from a session beyond chatting: members learn the room's name from the
// host (the server never has it) and follow a rename; a stored room opens again from its
// sealed secrets alone (no link); the invite link can be shown again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCryptoApi } from '../../../client/crypto/api';
import { MemoryHistoryStore } from '../../../client/core/memory-history-store';
import { JoinError, RoomSession } from '../../../client/core/room-session';
import { ServerApi } from '../../../client/core/server-api';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { PeerProcess } from './peer-process';

describe('room name and rejoin', () => {
  let server: TestServer;
  const peers: PeerProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const client = api(server.url);
    for (const name of ['alice', 'bob', 'carol']) await client.register(name);
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    await server.close();
  });

  it("tells members the host's room name and its renames; only the host renames", async () => {
    const alice = new PeerProcess(server.url, 'alice', TEST_PASSWORD);
    const bob = new PeerProcess(server.url, 'bob', TEST_PASSWORD);
    peers.push(alice, bob);
    await alice.waitFor('started');
    alice.command({ cmd: 'create', name: 'Harbour watch' });
    const { link } = await alice.waitFor('ready');
    await bob.waitFor('started');
    bob.command({ cmd: 'join', link });
    await bob.waitFor('ready');
    expect(await bob.waitFor('room-renamed')).toMatchObject({ name: 'Harbour watch' });

    alice.command({ cmd: 'rename', name: '  Night shift ' });
    expect(await alice.waitFor('renamed')).toMatchObject({ name: 'Night shift' });
    await bob.waitFor('room-renamed', (e) => e.name === 'Night shift');

    bob.command({ cmd: 'rename', name: 'Mutiny' });
    expect(await bob.waitFor('failed')).toMatchObject({
      name: 'RoomActionError',
      message: 'Only the host can rename the room.',
    });
    alice.command({ cmd: 'invite-link' });
    expect(await alice.waitFor('invite-link')).toMatchObject({ link });
  });

  it('rejoins a stored room from its sealed secrets, with its name and role', async () => {
    const crypto = createCryptoApi();
    const store = new MemoryHistoryStore();
    const serverApi = new ServerApi({ baseUrl: server.url });
    await serverApi.login('carol', TEST_PASSWORD);
    const options = {
      server: serverApi,
      crypto,
      identity: await crypto.createIdentity(),
      store,
      displayName: 'Carol',
      username: 'carol',
      WebSocket,
      dataKey: await crypto.createDataKey(),
    };
    const { session, link } = await RoomSession.create({
      ...options,
      origin: server.url,
      name: 'Lighthouse',
    });
    await session.send('written before the restart');
    await session.leave();

    const again = await RoomSession.rejoin(session.roomId, options);
    try {
      expect(again.roomId).toBe(session.roomId);
      expect(again.isHost).toBe(true);
      expect(again.name).toBe('Lighthouse');
      expect(await again.inviteLink()).toBe(link);
      expect((await again.history()).map((m) => m.text)).toEqual(['written before the restart']);
      await again.markRead(1);
      expect((await store.getRoom(session.roomId))?.readLamport).toBe(1);
    } finally {
      await again.leave();
    }

    // Without the data key, or for a room this device never stored, there is nothing to open.
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: unknown) => error,
      );
    const noKey = await refusal(
      RoomSession.rejoin(session.roomId, { ...options, dataKey: undefined }),
    );
    expect(noKey).toBeInstanceOf(JoinError);
    expect((noKey as JoinError).code).toBe('bad-link');
    const unknown = await refusal(RoomSession.rejoin('A'.repeat(22), options));
    expect((unknown as JoinError).message).toMatch(/open its link again/);
  });
});
