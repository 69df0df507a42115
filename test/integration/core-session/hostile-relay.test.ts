// A relay that meddles with signaling. Tampering (flipped bits, its own payloads) gets
// nothing through: no connection forms, no client crashes, both people are told that
// signaling failed verification. Replaying and reordering breaks nothing and no message
// is shown twice.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { startEvilRelay, type EvilRelay } from './evil-relay';
import { PeerProcess } from './peer-process';

describe('a hostile signaling relay', () => {
  let server: TestServer;
  let relay: EvilRelay | null = null;
  let peers: PeerProcess[] = [];
  async function person(name: string, wsBase: string): Promise<PeerProcess> {
    const peer = new PeerProcess(server.url, name, TEST_PASSWORD, wsBase);
    peers.push(peer);
    await peer.waitFor('started');
    return peer;
  }

  beforeAll(async () => {
    server = await startTestServer();
    const client = api(server.url);
    for (const name of ['alice', 'bob']) await client.register(name);
  });
  afterEach(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers = [];
    await relay?.close();
  });
  afterAll(async () => {
    await server.close();
  });

  it('that tampers with every frame gets no connection through, and both are told', async () => {
    relay = await startEvilRelay(server.url.replace(/^http/, 'ws'), 'tamper');
    const alice = await person('alice', relay.wsBase);
    alice.command({ cmd: 'create' });
    const { link } = await alice.waitFor('ready');
    const bob = await person('bob', relay.wsBase);
    bob.command({ cmd: 'join', link });
    const atBob = await bob.waitFor('signaling-failed');
    expect(String(atBob.message)).toMatch(/signaling/i);
    await alice.waitFor('signaling-failed');
    // Both are alive and answering, with no link, no peer and no message from the relay.
    for (const peer of [alice, bob]) {
      peer.command({ cmd: 'stats' });
      expect(await peer.waitFor('stats')).toMatchObject({ openLinks: 0 });
      expect(peer.events.some((e) => e.event === 'peer-verified' || e.event === 'crashed')).toBe(
        false,
      );
    }
  });

  it('that replays and reorders frames breaks nothing and shows no message twice', async () => {
    relay = await startEvilRelay(server.url.replace(/^http/, 'ws'), 'replay');
    const alice = await person('alice', relay.wsBase);
    alice.command({ cmd: 'create' });
    const { link } = await alice.waitFor('ready');
    const bob = await person('bob', relay.wsBase);
    bob.command({ cmd: 'join', link });
    await alice.waitFor('peer-verified', (e) => e.username === 'bob');
    await bob.waitFor('peer-verified', (e) => e.username === 'alice');
    for (let i = 1; i <= 5; i++) alice.command({ cmd: 'send', text: `note ${i}` });
    bob.command({ cmd: 'send', text: 'got them' });
    await bob.waitFor('message', (e) => e.text === 'note 5');
    await alice.waitFor('message', (e) => e.text === 'got them');
    expect(relay.meddled).toBeGreaterThan(0);
    bob.command({ cmd: 'history' });
    const history = await bob.waitFor('history');
    const texts = (history.messages as { text: string }[]).map((m) => m.text);
    expect(texts.filter((t) => t.startsWith('note '))).toEqual([
      'note 1',
      'note 2',
      'note 3',
      'note 4',
      'note 5',
    ]);
    await vi.waitFor(() => {
      const shown = bob.events.filter(
        (e) => e.event === 'message' && String(e.text).startsWith('note '),
      );
      expect(shown).toHaveLength(5);
    });
    bob.command({ cmd: 'stats' });
    expect(Number((await bob.waitFor('stats')).signalingReplays)).toBeGreaterThan(0);
  });
});
