// Bad input and faults at the terminal: broken links and refusals, in words, with their
// exit codes.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CliPeer } from '../../helpers/cli-peer';
import { allVerified, useServerWithPeers } from './room-fixture';

/** A port with nothing listening: any network call to it fails at once. */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe.concurrent('bad input and faults at the terminal', () => {
  const scene = useServerWithPeers();
  const peers = scene.peers;

  function peer(options: ConstructorParameters<typeof CliPeer>[0]): CliPeer {
    const created = new CliPeer(options);
    peers.push(created);
    return created;
  }

  it('refuses a tampered link before any network call (exit 2, no stack trace)', async () => {
    const port = await deadPort();
    const broken = `http://127.0.0.1:${port}/r/AbCdEfGhIjKlMnOpQrSt_-#k=tooShort`;
    const client = peer({ server: `http://127.0.0.1:${port}`, username: 'linkuser', room: broken });
    expect(await client.waitForExit()).toBe(2);
    expect(client.stderr).toMatch(/damaged or cut short/);
    // Had it tried the network first, the dead server would have been the complaint.
    expect(client.stderr).not.toMatch(/reach|ECONNREFUSED/);
    expect(client.stderr).not.toMatch(/\n\s+at /);
  });

  it('says in words when the server is unreachable (exit 5) or the login is wrong (exit 3)', async () => {
    const port = await deadPort();
    const offline = peer({
      server: `http://127.0.0.1:${port}`,
      username: 'nobody1',
      room: 'create',
    });
    expect(await offline.waitForExit()).toBe(5);
    expect((await offline.waitForEvent('fatal')).message).toMatch(/Could not reach the server/);

    const owner = peer({ server: scene.server.url, username: 'pwuser', room: 'create' });
    await owner.link();
    const wrong = peer({
      server: scene.server.url,
      username: 'pwuser',
      room: 'create',
      password: 'not the right password',
    });
    expect(await wrong.waitForExit()).toBe(3);
    expect((await wrong.waitForEvent('fatal')).message).toBe('Wrong username or password.');
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });

  it('a wrong room password or a wrong room key is refused with the server reason (exit 4)', async () => {
    const host = peer({
      server: scene.server.url,
      username: 'pwhost',
      room: 'create',
      roomPassword: 'open sesame',
    });
    const link = await host.link();
    const guest = peer({
      server: scene.server.url,
      username: 'pwguest',
      room: link,
      roomPassword: 'open barley',
    });
    expect(await guest.waitForExit()).toBe(4);
    expect((await guest.waitForEvent('fatal')).message).toMatch(
      /room key or the room password is wrong/,
    );

    // A link whose secret was altered still parses, but the server does not admit it.
    const secret = link.split('#k=')[1]!;
    const altered = link.replace(secret, (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1));
    const forger = peer({
      server: scene.server.url,
      username: 'pwforger',
      room: altered,
      roomPassword: 'open sesame',
    });
    expect(await forger.waitForExit()).toBe(4);

    const invited = peer({
      server: scene.server.url,
      username: 'pwinvited',
      room: link,
      roomPassword: 'open sesame',
    });
    await allVerified([host, invited]);
  });
});
