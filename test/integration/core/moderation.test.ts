// Kick and ban through the terminal client: the server refuses the removed member, the
// other peers drop it, and the host rotates the epoch so the old link reads nothing new.
import { describe, expect, it } from 'vitest';
import { CliPeer } from '../../helpers/cli-peer';
import { everyoneHearsEveryone, openRoom, useServerWithPeers } from './room-fixture';

describe.concurrent('moderation in the mesh', () => {
  const scene = useServerWithPeers();
  const peers = scene.peers;

  it('a kicked peer is dropped, cannot rejoin with the old link, and reads nothing new', async () => {
    const {
      link,
      peers: [host, bob, mallory],
    } = await openRoom(scene.server.url, ['hostk', 'bobk', 'malloryk'], { track: peers });
    await everyoneHearsEveryone([host!, bob!, mallory!], 'before the kick');

    const mark = host!.mark();
    host!.send('/kick malloryk');
    await host!.waitForEvent('notice', (e) => e.message.includes('malloryk'), { after: mark });
    expect((await mallory!.waitForEvent('removed')).reason).toBe('kicked');
    expect(await mallory!.waitForExit()).toBe(6);
    await bob!.waitForEvent('peer-left', (e) => e.username === 'malloryk');

    // After the rotation the remaining two still talk.
    await everyoneHearsEveryone([host!, bob!], 'after the kick');

    // The old link no longer admits her: the server's reason, in words, and exit code 4.
    await mallory!.restart(link);
    const refused = await mallory!.waitForEvent('fatal');
    expect(refused.message).toMatch(/removed from this room/);
    expect(await mallory!.waitForExit()).toBe(4);

    // Even under another account (which the server does admit with the old link), the old
    // secret opens nothing: the room moved to a new epoch, so no handshake succeeds.
    const puppetMark = host!.mark();
    const sockPuppet = new CliPeer({ server: scene.server.url, username: 'mallory2k', room: link });
    peers.push(sockPuppet);
    await sockPuppet.waitForEvent('ready');
    // Refused either at signaling (sealed under the old K_sig) or at the handshake (old K_psk).
    const refusal = await Promise.any([
      host!.waitForEvent('signaling-failed', () => true, { after: puppetMark, timeout: 20_000 }),
      host!.waitForEvent('peer-failed', () => true, { after: puppetMark, timeout: 20_000 }),
    ]);
    expect(refusal.message.length).toBeGreaterThan(0);
    host!.send('after the kick, again');
    await bob!.waitForMessage('after the kick, again');
    expect(sockPuppet.all('peer-verified')).toEqual([]);
    expect(sockPuppet.all('message')).toEqual([]);

    // A remaining member keeps the new epoch's secret (sealed in its data dir): after a
    // restart it rejoins with the same old link and reads on.
    expect(await bob!.quit()).toBe(0);
    await bob!.restart(link);
    await bob!.waitForVerified('hostk', { timeout: 30_000 });
    host!.send('welcome back');
    await bob!.waitForMessage('welcome back');

    // Someone who is not the host cannot kick.
    const bobMark = bob!.mark();
    bob!.send('/kick hostk');
    const notHost = await bob!.waitForEvent('error', () => true, { after: bobMark });
    expect(notHost.message).toMatch(/host/i);
  });

  it('a banned peer is removed and refused as banned', async () => {
    const {
      link,
      peers: [host, eve],
    } = await openRoom(scene.server.url, ['hostb', 'eveb'], {
      track: peers,
    });
    host!.send('/ban eveb');
    expect((await eve!.waitForEvent('removed')).reason).toBe('banned');
    expect(await eve!.waitForExit()).toBe(6);
    await eve!.restart(link);
    expect((await eve!.waitForEvent('fatal')).message).toMatch(/banned/);
    expect(await eve!.waitForExit()).toBe(4);
  });

  it('a room closed by its host: everyone is told, every client ends, admission stops', async () => {
    const { link, peers: room } = await openRoom(scene.server.url, ['hostc', 'bobc', 'carolc'], {
      track: peers,
    });
    const [host, ...members] = room;
    host!.send('/close');
    for (const peer of room) {
      await peer.waitForEvent('room-closed');
      expect(await peer.waitForExit()).toBe(7);
    }
    await members[0]!.restart(link);
    expect((await members[0]!.waitForEvent('fatal')).message).toMatch(/closed/);
    expect(await members[0]!.waitForExit()).toBe(4);
  });
});
