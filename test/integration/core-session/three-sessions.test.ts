// Three people in one room through the real server and real WebRTC: a newcomer catches up
// on the words of an author who has left, relayed (still signed by the author) by a third
// peer; then the host kicks someone, who is dropped, refused at the door, and hears
// nothing more.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { PeerProcess } from './peer-process';

describe('three room sessions', () => {
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

  it("relays an absent author's signed messages, and a kick shuts the member out", async () => {
    const alice = await person('alice');
    alice.command({ cmd: 'create' });
    const { link } = await alice.waitFor('ready');

    const bob = await person('bob');
    bob.command({ cmd: 'join', link });
    await alice.waitFor('peer-verified', (e) => e.username === 'bob');
    bob.command({ cmd: 'send', text: 'bob was here' });
    await alice.waitFor('message', (e) => e.text === 'bob was here');
    await bob.stop();
    await alice.waitFor('peer-left', (e) => e.username === 'bob');

    // Carol never met Bob: Alice relays his message with his signature.
    const carol = await person('carol');
    carol.command({ cmd: 'join', link });
    const relayed = await carol.waitFor('message', (e) => e.text === 'bob was here');
    expect(relayed).toMatchObject({ username: 'bob', own: false });

    // Bob comes back and hears from Carol directly.
    const bob2 = await person('bob');
    bob2.command({ cmd: 'join', link });
    await carol.waitFor('peer-verified', (e) => e.username === 'bob');
    carol.command({ cmd: 'send', text: 'welcome back bob' });
    await bob2.waitFor('message', (e) => e.text === 'welcome back bob');
    await alice.waitFor('message', (e) => e.text === 'welcome back bob');

    // The host kicks Bob: he is told, the others drop him, he cannot get back in.
    alice.command({ cmd: 'kick', username: 'bob' });
    await alice.waitFor('kicked');
    expect((await bob2.waitFor('removed')).reason).toBe('kicked');
    await carol.waitFor('peer-left', (e) => e.username === 'bob');
    // The host rotated the epoch and handed the new secret to Carol only.
    await vi.waitFor(async () => {
      carol.command({ cmd: 'stats' });
      const stats = await carol.waitFor('stats', (e) => e.epoch === 1, 500);
      expect(stats.epoch).toBe(1);
    }, 10_000);
    carol.command({ cmd: 'send', text: 'after the kick' });
    const afterKick = await alice.waitFor('message', (e) => e.text === 'after the kick');
    expect(afterKick.epoch).toBe(1);
    expect(bob2.events.some((e) => e.text === 'after the kick')).toBe(false);

    const bob3 = await person('bob');
    bob3.command({ cmd: 'join', link });
    const refused = await bob3.waitFor('failed');
    expect(refused).toMatchObject({ name: 'JoinError', code: 'banned' });
    expect(String(refused.message)).toMatch(/removed from this room/);
  });
});
