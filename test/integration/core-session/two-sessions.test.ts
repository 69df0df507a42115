// Two people, each a RoomSession in its own process, through the real server and real
// WebRTC: they see each other verified, exchange messages both ways with receipts, and a
// message written while the other is away is delivered when they come back.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { PeerProcess } from './peer-process';

describe('two room sessions over real WebRTC', () => {
  let server: TestServer;
  const peers: PeerProcess[] = [];
  const person = (name: string) => {
    const peer = new PeerProcess(server.url, name, TEST_PASSWORD);
    peers.push(peer);
    return peer;
  };

  beforeAll(async () => {
    server = await startTestServer();
    const client = api(server.url);
    await client.register('alice');
    await client.register('bob');
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    await server.close();
  });

  it('connects, verifies, chats both ways, and delivers the outbox on return', async () => {
    const alice = person('alice');
    await alice.waitFor('started');
    alice.command({ cmd: 'create' });
    const { link } = await alice.waitFor('ready');
    expect(String(link)).toMatch(/\/r\/[A-Za-z0-9_-]{22}#k=/);

    const bob = person('bob');
    await bob.waitFor('started');
    bob.command({ cmd: 'join', link });
    await bob.waitFor('ready');
    await alice.waitFor('peer-verified', (e) => e.username === 'bob');
    await bob.waitFor('peer-verified', (e) => e.username === 'alice');

    alice.command({ cmd: 'send', text: 'hello bob' });
    const atBob = await bob.waitFor('message', (e) => e.text === 'hello bob');
    expect(atBob).toMatchObject({ username: 'alice', own: false });
    const sent = await alice.waitFor('sent', (e) => e.text === 'hello bob');
    await alice.waitFor('delivery', (e) => e.id === sent.id && e.state === 'delivered');

    bob.command({ cmd: 'send', text: 'hi alice' });
    await alice.waitFor('message', (e) => e.text === 'hi alice' && e.username === 'bob');

    // Presence: Alice sees Bob, secure, with his display name, and sees him typing.
    bob.command({ cmd: 'typing', on: 'yes' });
    await vi.waitFor(async () => {
      alice.command({ cmd: 'members' });
      const { members } = await alice.waitFor('members', () => true);
      alice.events.splice(
        alice.events.findIndex((e) => e.event === 'members'),
        1,
      );
      expect(members).toEqual([
        expect.objectContaining({
          username: 'bob',
          displayName: 'BOB',
          trust: 'secure',
          typing: true,
        }),
      ]);
    }, 10_000);
    // Both compute the same safety number and SAS for their pair.
    alice.command({ cmd: 'verification', peer: 'bob' });
    bob.command({ cmd: 'verification', peer: 'alice' });
    const [fromAlice, fromBob] = await Promise.all([
      alice.waitFor('verification'),
      bob.waitFor('verification'),
    ]);
    expect(String(fromAlice.safetyNumber)).toMatch(/^[0-9 ]{60,}$/);
    expect(fromAlice.safetyNumber).toBe(fromBob.safetyNumber);
    expect(fromAlice.sas).toEqual(fromBob.sas);

    bob.command({ cmd: 'send', text: ' ' });
    expect(String((await bob.waitFor('failed')).message)).toMatch(/nothing to send/);

    // Bob leaves; Alice writes into the void; Bob comes back (a new device) and gets it.
    await bob.stop();
    await alice.waitFor('peer-left', (e) => e.username === 'bob');
    alice.command({ cmd: 'send', text: 'while you were away' });
    const pending = await alice.waitFor('sent', (e) => e.text === 'while you were away');
    expect(pending.state).toBe('pending');

    const bobAgain = person('bob');
    await bobAgain.waitFor('started');
    bobAgain.command({ cmd: 'join', link });
    const caughtUp = await bobAgain.waitFor('message', (e) => e.text === 'while you were away');
    expect(caughtUp.username).toBe('alice');
    // The new process has a new identity key: Alice is warned that Bob's key changed.
    const changed = await alice.waitFor('key-changed', (e) => e.username === 'bob');
    expect(changed.previous).not.toBe(changed.fingerprint);
    await bobAgain.waitFor('message', (e) => e.text === 'hello bob');
    await alice.waitFor('delivery', (e) => e.id === pending.id && e.state === 'delivered');
    if (process.env.CORE_TIMELINE) {
      const t0 = alice.events[0]!.at as number;
      for (const [who, p] of [
        ['alice', alice],
        ['bob', bob],
        ['bob2', bobAgain],
      ] as const) {
        for (const e of p.events)
          console.log(who, (e.at as number) - t0, e.event, e.state ?? e.username ?? '');
      }
    }
  });
});
