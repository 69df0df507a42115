// Every cipher suite and both key agreements, chosen at room creation on the command line.
import { describe, expect, it } from 'vitest';
import { everyoneHearsEveryone, openRoom, useServerWithPeers } from './room-fixture';

const CHOICES = [
  { cipher: 'aes-256-gcm', keyAgreement: 'p521' },
  { cipher: 'xchacha20-poly1305', keyAgreement: 'x25519' },
  { cipher: 'aes-256-cbc-hmac-sha512', keyAgreement: 'p521' },
] as const;

describe.concurrent('rooms with each cipher suite and key agreement', () => {
  const scene = useServerWithPeers();
  const peers = scene.peers;

  it.each(CHOICES)('$cipher with $keyAgreement carries messages both ways', async (choice) => {
    const tag = `${CHOICES.indexOf(choice)}${choice.keyAgreement}`;
    const { peers: pair } = await openRoom(scene.server.url, [`h${tag}`, `m${tag}`], {
      track: peers,
      host: { args: ['--cipher', choice.cipher, '--key-agreement', choice.keyAgreement] },
    });
    await everyoneHearsEveryone(pair, `${choice.cipher} ${choice.keyAgreement}`);
    expect(pair.every((peer) => peer.exitCode === null)).toBe(true);
  });
});
