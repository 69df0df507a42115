// The host bans one member and then closes the room: the banned member is told and kept
// out, everyone still inside is told the room closed, and nobody gets back in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { PeerProcess } from './peer-process';

describe('ban and close', () => {
  let server: TestServer;
  const peers: PeerProcess[] = [];
  async function person(name: string): Promise<PeerProcess> {
    const peer = new PeerProcess(server.url, name, TEST_PASSWORD);
    peers.push(peer);
    await peer.waitFor('started');
    return peer;
  }

  beforeAll(async () => {
    server = await startTestServer();
    const client = api(server.url);
    for (const name of ['alice', 'bob', 'carol']) await client.register(name);
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    await server.close();
  });

  it('bans a member, then closes the room for everyone', async () => {
    const alice = await person('alice');
    alice.command({ cmd: 'create' });
    const { link } = await alice.waitFor('ready');
    const bob = await person('bob');
    const carol = await person('carol');
    bob.command({ cmd: 'join', link });
    carol.command({ cmd: 'join', link });
    await alice.waitFor('peer-verified', (e) => e.username === 'bob');
    await alice.waitFor('peer-verified', (e) => e.username === 'carol');
    await bob.waitFor('peer-verified', (e) => e.username === 'carol');

    // Only the host may remove anyone.
    bob.command({ cmd: 'kick', username: 'carol' });
    expect(String((await bob.waitFor('failed')).message)).toMatch(/only the host/i);

    alice.command({ cmd: 'ban', username: 'carol' });
    expect((await carol.waitFor('removed')).reason).toBe('banned');
    await bob.waitFor('peer-left', (e) => e.username === 'carol');

    alice.command({ cmd: 'close' });
    await alice.waitFor('closed');
    await bob.waitFor('room-closed');

    const carolAgain = await person('carol');
    carolAgain.command({ cmd: 'join', link });
    expect(await carolAgain.waitFor('failed')).toMatchObject({ code: 'banned' });
    const bobAgain = await person('bob');
    bobAgain.command({ cmd: 'join', link });
    expect(await bobAgain.waitFor('failed')).toMatchObject({ code: 'closed' });
  });
});
