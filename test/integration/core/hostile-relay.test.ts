// A relay that attacks signaling (DESIGN.md section 3): one that tampers with every frame
// gets no connection through and crashes nobody, and the clients say that signaling
// failed verification; one that replays and reorders frames breaks nothing and no
// message is shown twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliPeer } from '../../helpers/cli-peer';
import { startTestServer, type TestServer } from '../../helpers/server';
import { startTamperingRelay, type TamperingRelay } from '../../helpers/tampering-relay';
import { disposeAll, everyoneHearsEveryone, openRoom } from './room-fixture';

describe.concurrent('a hostile signaling relay', () => {
  let server: TestServer;
  const relays: TamperingRelay[] = [];
  const peers: CliPeer[] = [];

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await disposeAll(peers);
    await Promise.all(relays.map((relay) => relay.close()));
    await server?.close();
  });

  it('that tampers with every frame produces no connection, no crash, and a clear report', async () => {
    const relay = await startTamperingRelay(server.url, 'tamper');
    relays.push(relay);
    const alice = new CliPeer({ server: relay.url, username: 'alicet', room: 'create' });
    peers.push(alice);
    const bob = new CliPeer({ server: relay.url, username: 'bobt', room: await alice.link() });
    peers.push(bob);

    // Every announcement and offer arrives altered, and each client says so.
    const reports = await Promise.all(
      [alice, bob].map((peer) => peer.waitForEvent('signaling-failed')),
    );
    for (const report of reports) {
      expect(report.message).toMatch(/signaling/i);
      expect(report.count).toBeGreaterThanOrEqual(1);
    }
    expect(relay.stats.tampered + relay.stats.substituted).toBeGreaterThanOrEqual(2);

    // Nobody connected, and both clients are alive and answering.
    for (const [peer, other] of [
      [alice, 'bobt'],
      [bob, 'alicet'],
    ] as const) {
      const mark = peer.mark();
      peer.send('/who');
      const who = await peer.waitForEvent('who', () => true, { after: mark });
      expect(who.members.filter((m) => m.username === other && m.online)).toEqual([]);
      expect(peer.all('peer-verified')).toEqual([]);
      expect(peer.exitCode).toBeNull();
    }
  });

  it('that replays and reorders frames breaks nothing and shows no message twice', async () => {
    const relay = await startTamperingRelay(server.url, 'replay');
    relays.push(relay);
    const { peers: room } = await openRoom(relay.url, ['alicer2', 'bobr2', 'carolr2'], {
      track: peers,
    });
    await everyoneHearsEveryone(room, 'one');
    await everyoneHearsEveryone(room, 'two');
    expect(relay.stats.replayed).toBeGreaterThan(0);
    expect(relay.stats.reordered).toBeGreaterThan(0);
    for (const reader of room) {
      const texts = reader
        .all('message')
        .filter((m) => !m.own)
        .map((m) => m.text);
      expect(texts).toHaveLength(new Set(texts).size);
      expect(texts).toHaveLength(4);
      // A replayed frame may be dropped and counted, but none is shown as a failure.
      expect(reader.all('peer-failed')).toEqual([]);
      expect(reader.exitCode).toBeNull();
    }
  });
});
