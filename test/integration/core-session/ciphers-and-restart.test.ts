// Every cipher suite and both key agreements carry a conversation; and a server restart
// in the middle of one heals by itself: the peers keep talking, the signaling sockets
// come back, and a newcomer after the restart catches up on everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { PeerProcess } from './peer-process';

describe('room sessions', () => {
  let server: TestServer;
  const peers: PeerProcess[] = [];
  async function person(name: string): Promise<PeerProcess> {
    const peer = new PeerProcess(server.url, name, TEST_PASSWORD);
    peers.push(peer);
    await peer.waitFor('started');
    return peer;
  }

  beforeAll(async () => {
    server = await startTestServer({}, { keepDataDir: true });
    const client = api(server.url);
    for (const name of ['alice', 'bob', 'carol']) await client.register(name);
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    await server.close();
    const { rmSync } = await import('node:fs');
    rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('talk under every cipher suite and key agreement', async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    const combos = [
      { cipher: 'aes-256-gcm', keyAgreement: 'x25519' },
      { cipher: 'xchacha20-poly1305', keyAgreement: 'p521' },
      { cipher: 'aes-256-cbc-hmac-sha512', keyAgreement: 'p521' },
    ];
    for (const combo of combos) {
      const text = `secret under ${combo.cipher} and ${combo.keyAgreement}`;
      const seen = alice.events.length;
      const seenBob = bob.events.length;
      alice.command({ cmd: 'create', ...combo });
      const { link } = await alice.waitFor('ready', (e) => alice.events.indexOf(e) >= seen);
      bob.command({ cmd: 'join', link });
      await bob.waitFor('peer-verified', (e) => bob.events.indexOf(e) >= seenBob);
      alice.command({ cmd: 'send', text });
      expect((await bob.waitFor('message', (e) => e.text === text)).username).toBe('alice');
      alice.command({ cmd: 'leave-room' });
      bob.command({ cmd: 'leave-room' });
      await alice.waitFor('left-room', (e) => alice.events.indexOf(e) >= seen);
      await bob.waitFor('left-room', (e) => bob.events.indexOf(e) >= seenBob);
    }
    await alice.stop();
    await bob.stop();
  });

  it('heals after the server restarts mid-conversation', async () => {
    const alice = await person('alice');
    alice.command({ cmd: 'create' });
    const { link } = await alice.waitFor('ready');
    const bob = await person('bob');
    bob.command({ cmd: 'join', link });
    await alice.waitFor('peer-verified', (e) => e.username === 'bob');
    alice.command({ cmd: 'send', text: 'before the restart' });
    await bob.waitFor('message', (e) => e.text === 'before the restart');

    const port = new URL(server.url).port;
    const dataDir = server.dataDir;
    await server.close();
    await alice.waitFor('connection', (e) => e.state === 'reconnecting');
    // The peers talk directly: the server is not needed for that.
    bob.command({ cmd: 'send', text: 'while the server is down' });
    await alice.waitFor('message', (e) => e.text === 'while the server is down');

    server = await startTestServer({ PORT: port }, { dataDir });
    const onlineAgain = (p: PeerProcess) =>
      p.waitFor(
        'connection',
        (e) =>
          e.state === 'online' &&
          p.events.some((x) => x.state === 'reconnecting' && (x.at as number) < (e.at as number)),
        30_000,
      );
    await onlineAgain(alice);
    await onlineAgain(bob);

    const carol = await person('carol');
    carol.command({ cmd: 'join', link });
    await carol.waitFor('message', (e) => e.text === 'while the server is down');
    await carol.waitFor('message', (e) => e.text === 'before the restart');
    carol.command({ cmd: 'send', text: 'hello after the restart' });
    await alice.waitFor('message', (e) => e.text === 'hello after the restart');
    await bob.waitFor('message', (e) => e.text === 'hello after the restart');
    const once = alice.events.filter(
      (e) => e.event === 'message' && e.text === 'while the server is down',
    );
    expect(once).toHaveLength(1);
  });
});
