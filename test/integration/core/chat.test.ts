// Issue 4's scenarios through `npm run cli`: three people at three terminals, each client
// its own process, real WebRTC (@roamhq/wrtc) and the real signaling server.
import { describe, expect, it } from 'vitest';
import { CliPeer } from '../../helpers/cli-peer';
import { everyoneHearsEveryone, openRoom, useServerWithPeers } from './room-fixture';

describe.concurrent('people chatting through the terminal client', () => {
  const scene = useServerWithPeers();
  const peers = scene.peers;

  it('three peers: messages in all directions, each shown once under its author', async () => {
    const {
      peers: [alice, bob, carol],
    } = await openRoom(scene.server.url, ['alice3', 'bob3', 'carol3'], {
      track: peers,
    });
    await everyoneHearsEveryone([alice!, bob!, carol!], 'hello');
    await everyoneHearsEveryone([alice!, bob!, carol!], 'again');
    const shown = bob!.messages('hello from alice3');
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ username: 'alice3', own: false });
    // Scripts see their own line once, marked own (text mode does not echo it).
    expect(alice!.messages('hello from alice3')).toMatchObject([{ own: true }]);

    // /who lists the other two, online; /verify shows both sides the same numbers.
    const mark = alice!.mark();
    alice!.send('/who');
    const who = await alice!.waitForEvent('who', () => true, { after: mark });
    expect(who.members.map((m) => m.username).sort()).toEqual(['bob3', 'carol3']);
    expect(who.members.every((m) => m.online)).toBe(true);

    alice!.send('/verify bob3');
    bob!.send('/verify alice3');
    const [fromAlice, fromBob] = await Promise.all([
      alice!.waitForEvent('verify'),
      bob!.waitForEvent('verify'),
    ]);
    expect(fromAlice.safetyNumber).toMatch(/^\d{60}$/);
    expect(fromAlice.safetyNumber).toBe(fromBob.safetyNumber);
    expect(fromAlice.sas).toEqual(fromBob.sas);
    expect(fromAlice.sas.emoji.length).toBeGreaterThan(0);

    // A name nobody has is refused in words, and the client carries on.
    alice!.send('/verify nobody');
    const refused = await alice!.waitForEvent('error', () => true, { after: mark });
    expect(refused.message.length).toBeGreaterThan(0);
    expect(alice!.exitCode).toBeNull();
  });

  it('a peer that was offline catches up from a third peer after the author left', async () => {
    const {
      link,
      peers: [alice, bob, carol],
    } = await openRoom(scene.server.url, ['alice4', 'bob4', 'carol4'], { track: peers });
    await everyoneHearsEveryone([alice!, bob!, carol!], 'before the break');
    expect(await carol!.quit()).toBe(0);
    const texts = ['while you were away 1', 'while you were away 2', 'while you were away 3'];
    for (const text of texts) alice!.send(text);
    await Promise.all(texts.map((text) => bob!.waitForMessage(text)));
    expect(await alice!.quit()).toBe(0);

    const carolKey = bob!.all('peer-verified').find((e) => e.username === 'carol4')!.fingerprint;
    const bobMark = bob!.mark();
    await carol!.restart(link);
    await carol!.waitForVerified('bob4', { timeout: 30_000 });
    // Same device, same identity key (sealed in her data dir): bob has nothing to warn about.
    const again = await bob!.waitForVerified('carol4', { after: bobMark });
    expect(again.fingerprint).toBe(carolKey);
    expect(bob!.all('key-changed')).toEqual([]);
    const caughtUp = await Promise.all(texts.map((text) => carol!.waitForMessage(text)));
    // Relayed by bob, still shown as alice's (her signature travelled with them).
    expect(caughtUp.map((m) => m.username)).toEqual(['alice4', 'alice4', 'alice4']);
    expect(carol!.all('peer-verified').some((e) => e.username === 'alice4')).toBe(false);
    for (const text of texts) expect(carol!.messages(text)).toHaveLength(1);
    // What carol had before the break is still on her device (encrypted under her data dir).
    const earlier = carol!.all('history').map((m) => m.text);
    expect(earlier).toEqual(
      expect.arrayContaining(['before the break from alice4', 'before the break from carol4']),
    );
  });

  it('a message written with nobody connected waits in the outbox and is delivered later', async () => {
    const {
      link,
      peers: [alice, bob],
    } = await openRoom(scene.server.url, ['alice5', 'bob5'], {
      track: peers,
    });
    expect(await bob!.quit()).toBe(0);
    await alice!.waitForEvent('peer-left', (e) => e.username === 'bob5');

    alice!.send('written while alone');
    const sent = await alice!.waitForEvent('sent');
    expect(sent.state).toBe('pending');

    await bob!.restart(link);
    const delivered = await bob!.waitForMessage('written while alone', 30_000);
    expect(delivered.username).toBe('alice5');
    await alice!.waitForEvent('delivery', (e) => e.id === sent.id && e.state !== 'pending');
    await alice!.waitForEvent('notice', (e) => e.message.includes('outbox went out'));
    expect(bob!.messages('written while alone')).toHaveLength(1);
  });

  it('a peer presenting a different identity key than the one pinned triggers a warning', async () => {
    const {
      link,
      peers: [alice, bob],
    } = await openRoom(scene.server.url, ['alice6', 'bob6'], {
      track: peers,
    });
    // Alice compared the safety number with bob and said so.
    alice!.send('/verified bob6');
    await alice!.waitForEvent('notice', (e) => e.message.includes('verified'));
    expect(await bob!.quit()).toBe(0);
    // Same account, another device (a fresh data dir: a new identity key).
    const impostor = new CliPeer({ server: scene.server.url, username: 'bob6', room: link });
    peers.push(impostor);
    const warning = await alice!.waitForEvent('key-changed', (e) => e.username === 'bob6', {
      timeout: 30_000,
    });
    expect(warning.fingerprint).not.toBe(warning.previous);
    expect(warning.previous).toBe(
      alice!.all('peer-verified').find((e) => e.username === 'bob6')!.fingerprint,
    );
    // The new key is not trusted the way the old one was.
    const mark = alice!.mark();
    alice!.send('/who');
    const who = await alice!.waitForEvent('who', () => true, { after: mark });
    expect(who.members.filter((m) => m.username === 'bob6' && m.verified)).toEqual([]);
  });
});
