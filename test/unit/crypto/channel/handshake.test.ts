import { describe, expect, test } from 'vitest';
import { CIPHER_SUITES } from '../../../../client/crypto/primitives/aead';
import { randomBytes, toBase64Url } from '../../../../client/crypto/primitives/bytes';
import { SecureChannel } from '../../../../client/crypto/channel/secure-channel';
import { ChannelSetupError } from '../../../../client/crypto/channel/handshake';
import { createDeviceIdentity } from '../../../../client/crypto/identity';
import {
  deliver,
  fakeFingerprint,
  handshake,
  openPair,
  sharedIdentities,
  startPair,
  unwrap,
} from './pair';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Rewrites a hello's JSON the way a meddling relay would. */
function editHello(hello: Uint8Array, edit: (json: Record<string, unknown>) => void): Uint8Array {
  const json = JSON.parse(decoder.decode(hello.subarray(1))) as Record<string, unknown>;
  edit(json);
  const body = encoder.encode(JSON.stringify(json));
  const out = new Uint8Array(body.length + 1);
  out[0] = hello[0]!;
  out.set(body, 1);
  return out;
}

describe('secure channel handshake', () => {
  for (const suite of CIPHER_SUITES) {
    for (const keyAgreement of ['x25519', 'p521'] as const) {
      test(`${suite} with ${keyAgreement}: both sides verify each other and talk`, async () => {
        const { alice, bob, aliceIdentity, bobIdentity } = await openPair({ suite, keyAgreement });
        expect(alice.state).toBe('open');
        expect(alice.peerIdentity?.publicKey).toEqual(bobIdentity.publicKey);
        expect(bob.peerIdentity?.publicKey).toEqual(aliceIdentity.publicKey);
        expect((await deliver(alice, bob, 'hello bob')).received).toEqual(['hello bob']);
        expect((await deliver(bob, alice, 'hello alice')).received).toEqual(['hello alice']);
      });
    }
  }

  test('an ECDSA P-256 identity (the fallback) works against an Ed25519 one', async () => {
    const [ed] = await sharedIdentities();
    const ecdsa = await createDeviceIdentity('ecdsa-p256');
    const started = await startPair({ alice: { identity: ed }, bob: { identity: ecdsa } });
    const result = await handshake(started.alice, started.bob);
    expect(unwrap(result.alice).established?.alg).toBe('ecdsa-p256');
    expect(unwrap(result.bob).established?.alg).toBe('ed25519');
  });

  test('a peer without the room key (K_psk) is refused with bad-mac', async () => {
    const started = await startPair({ bob: { psk: randomBytes(32) } });
    const result = await handshake(started.alice, started.bob);
    expect(result.alice).toMatchObject({ ok: false, reason: 'bad-mac' });
    expect(result.bob).toMatchObject({ ok: false, reason: 'bad-mac' });
    expect(started.alice.channel.state).toBe('failed');
    // A failed channel stays failed: nothing can be sent or received any more.
    expect(await started.alice.channel.send(encoder.encode('x'))).toMatchObject({
      reason: 'wrong-state',
    });
  });

  test('a relay that swapped DTLS fingerprints is caught on both sides', async () => {
    // Alice's SDP was rewritten: she sees the attacker's certificate, not Bob's.
    const started = await startPair({
      alice: { fingerprints: { local: fakeFingerprint(), remote: fakeFingerprint() } },
    });
    const result = await handshake(started.alice, started.bob);
    expect(result.alice).toMatchObject({ ok: false, reason: 'fingerprint-mismatch' });
    expect(result.bob).toMatchObject({ ok: false, reason: 'fingerprint-mismatch' });
    if (!result.alice.ok) expect(result.alice.message).toMatch(/could not be verified/);
  });

  test('fingerprints match regardless of case and spacing', async () => {
    const fp = fakeFingerprint();
    const other = fakeFingerprint();
    const started = await startPair({
      alice: { fingerprints: { local: fp.toLowerCase(), remote: `  ${other}` } },
      bob: { fingerprints: { local: other.toLowerCase(), remote: fp } },
    });
    const result = await handshake(started.alice, started.bob);
    expect(result.alice.ok && result.bob.ok).toBe(true);
  });

  test('a malformed local fingerprint is a setup error, not a silent pass', async () => {
    const [identity] = await sharedIdentities();
    await expect(
      SecureChannel.create({
        identity,
        psk: randomBytes(32),
        roomId: 'r',
        suite: 'aes-256-gcm',
        keyAgreement: 'x25519',
        fingerprints: { local: 'nonsense', remote: fakeFingerprint() },
      }),
    ).rejects.toBeInstanceOf(ChannelSetupError);
  });

  test('a different room id gives different transcripts: the MAC check fails', async () => {
    const started = await startPair({ bob: { roomId: 'room-2' } });
    const result = await handshake(started.alice, started.bob);
    expect(result.alice).toMatchObject({ ok: false, reason: 'bad-mac' });
  });

  test('a hello altered in transit breaks the transcript: refused with bad-mac', async () => {
    const started = await startPair();
    const donor = await startPair();
    // The relay swaps in an ephemeral key of its own (a valid point, just not Alice's).
    const relayEphemeral = helloJson(donor.alice.hello).ephemeral;
    const tampered = editHello(started.alice.hello, (json) => (json.ephemeral = relayEphemeral));
    const result = await handshake(started.alice, started.bob, { aliceHelloToBob: tampered });
    expect(result.alice).toMatchObject({ ok: false, reason: 'bad-mac' });
    expect(result.bob).toMatchObject({ ok: false, reason: 'bad-mac' });
  });

  test('a member who claims another identity key is refused with bad-signature', async () => {
    const [, bobIdentity] = await sharedIdentities();
    const mallory = await createDeviceIdentity();
    // Mallory holds the room key, so her MAC is fine; she cannot sign as Bob.
    const liar = { ...mallory, publicKey: bobIdentity.publicKey };
    const started = await startPair({ bob: { identity: liar } });
    const result = await handshake(started.alice, started.bob);
    expect(result.alice).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  test('a different protocol version is refused with unsupported-version', async () => {
    const started = await startPair();
    const outcome = await started.bob.channel.receive(
      editHello(started.alice.hello, (json) => (json.version = 2)),
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'unsupported-version' });
  });

  test('an unknown or different cipher suite is refused with unknown-suite', async () => {
    const started = await startPair();
    const unknown = await started.bob.channel.receive(
      editHello(started.alice.hello, (json) => (json.suite = 'rot13')),
    );
    expect(unknown).toMatchObject({ ok: false, reason: 'unknown-suite' });
    const other = await startPair({ bob: { suite: 'xchacha20-poly1305' } });
    const result = await handshake(other.alice, other.bob);
    expect(result.alice).toMatchObject({ ok: false, reason: 'unknown-suite' });
    const otherAgreement = await startPair({ bob: { keyAgreement: 'p521' } });
    const agreement = await handshake(otherAgreement.alice, otherAgreement.bob);
    expect(agreement.bob).toMatchObject({ ok: false, reason: 'unknown-suite' });
  });

  test('a low-order X25519 ephemeral key is refused with bad-point', async () => {
    const started = await startPair();
    const lowOrder = toBase64Url(new Uint8Array(32)); // the all-zero point has order 1
    const outcome = await started.bob.channel.receive(
      editHello(started.alice.hello, (json) => (json.ephemeral = lowOrder)),
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'bad-point' });
    const short = await startPair();
    const shortKey = await short.bob.channel.receive(
      editHello(short.alice.hello, (json) => (json.ephemeral = toBase64Url(randomBytes(31)))),
    );
    expect(shortKey).toMatchObject({ ok: false, reason: 'bad-length' });
  });

  test('an invalid P-521 point is refused with bad-point', async () => {
    const started = await startPair({ keyAgreement: 'p521' });
    const offCurve = new Uint8Array(133).fill(1);
    offCurve[0] = 0x04; // uncompressed form, but not a point on the curve
    const outcome = await started.bob.channel.receive(
      editHello(started.alice.hello, (json) => (json.ephemeral = toBase64Url(offCurve))),
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'bad-point' });
  });

  test('garbage, echoes and messages out of turn are refused without throwing', async () => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array([1, 123, 125]), 'malformed'],
      [new Uint8Array([1, 0xff, 0xfe]), 'malformed'],
      [new Uint8Array([2, 123, 125]), 'wrong-state'],
      [new Uint8Array(0), 'wrong-state'],
      [new Uint8Array(10_000).fill(1), 'malformed'],
    ];
    for (const [bytes, reason] of cases) {
      const started = await startPair();
      expect(await started.bob.channel.receive(bytes)).toMatchObject({ ok: false, reason });
    }
    // An echo of our own hello names our certificate as the peer's: caught before ECDH.
    const echo = await startPair();
    expect(await echo.alice.channel.receive(echo.alice.hello)).toMatchObject({
      ok: false,
      reason: 'fingerprint-mismatch',
    });
  });

  test('nothing can be sent before the handshake completes', async () => {
    const started = await startPair();
    expect(await started.alice.channel.send(encoder.encode('too early'))).toMatchObject({
      ok: false,
      reason: 'wrong-state',
    });
  });
});

function helloJson(hello: Uint8Array): Record<string, string> {
  return JSON.parse(decoder.decode(hello.subarray(1))) as Record<string, string>;
}
