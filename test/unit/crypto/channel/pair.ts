// Two channel ends wired together in memory, as two peers on one data channel would be.
import type { CipherSuite } from '../../../../client/crypto/primitives/aead';
import { randomBytes, toHex } from '../../../../client/crypto/primitives/bytes';
import type { KeyAgreement } from '../../../../client/crypto/primitives/ecdh';
import { createDeviceIdentity, type DeviceIdentity } from '../../../../client/crypto/identity';
import type { Result } from '../../../../client/crypto/result';
import {
  SecureChannel,
  type ChannelOptions,
  type ReceiveOutcome,
} from '../../../../client/crypto/channel/secure-channel';

export function fakeFingerprint(): string {
  return 'sha-256 ' + (toHex(randomBytes(32)).match(/../g) ?? []).join(':').toUpperCase();
}

export interface PairSetup {
  suite?: CipherSuite;
  keyAgreement?: KeyAgreement;
  roomId?: string;
  psk?: Uint8Array;
  alice?: Partial<ChannelOptions>;
  bob?: Partial<ChannelOptions>;
}

export interface Pair {
  alice: SecureChannel;
  bob: SecureChannel;
  aliceIdentity: DeviceIdentity;
  bobIdentity: DeviceIdentity;
}

let identities: Promise<[DeviceIdentity, DeviceIdentity]> | undefined;

/** Identity keys are slow-ish to make and irrelevant to most tests: share two. */
export function sharedIdentities(): Promise<[DeviceIdentity, DeviceIdentity]> {
  identities ??= Promise.all([createDeviceIdentity(), createDeviceIdentity()]);
  return identities;
}

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.reason}: ${result.message}`);
  return result.value;
}

export async function startPair(setup: PairSetup = {}) {
  const [aliceIdentity, bobIdentity] = await sharedIdentities();
  const psk = setup.psk ?? randomBytes(32);
  const aliceFp = fakeFingerprint();
  const bobFp = fakeFingerprint();
  const common = {
    psk,
    roomId: setup.roomId ?? 'room-1',
    suite: setup.suite ?? 'aes-256-gcm',
    keyAgreement: setup.keyAgreement ?? 'x25519',
  } as const;
  const alice = await SecureChannel.create({
    ...common,
    identity: aliceIdentity,
    fingerprints: { local: aliceFp, remote: bobFp },
    ...setup.alice,
  });
  const bob = await SecureChannel.create({
    ...common,
    identity: bobIdentity,
    fingerprints: { local: bobFp, remote: aliceFp },
    ...setup.bob,
  });
  return { alice, bob, aliceIdentity, bobIdentity };
}

/** Runs both handshake flights; returns each side's results for the peer's auth. */
export async function handshake(
  alice: { channel: SecureChannel; hello: Uint8Array },
  bob: { channel: SecureChannel; hello: Uint8Array },
  relay: { aliceHelloToBob?: Uint8Array } = {},
): Promise<{ alice: Result<ReceiveOutcome>; bob: Result<ReceiveOutcome> }> {
  const aliceAfterHello = await alice.channel.receive(bob.hello);
  const bobAfterHello = await bob.channel.receive(relay.aliceHelloToBob ?? alice.hello);
  if (!aliceAfterHello.ok || !bobAfterHello.ok) {
    return { alice: aliceAfterHello, bob: bobAfterHello };
  }
  const aliceAfterAuth = await alice.channel.receive(bobAfterHello.value.reply[0]!);
  const bobAfterAuth = await bob.channel.receive(aliceAfterHello.value.reply[0]!);
  return { alice: aliceAfterAuth, bob: bobAfterAuth };
}

export async function openPair(setup: PairSetup = {}): Promise<Pair> {
  const started = await startPair(setup);
  const result = await handshake(started.alice, started.bob);
  unwrap(result.alice);
  unwrap(result.bob);
  return {
    alice: started.alice.channel,
    bob: started.bob.channel,
    aliceIdentity: started.aliceIdentity,
    bobIdentity: started.bobIdentity,
  };
}

/** Sends one message and delivers every resulting frame (and any replies) in order. */
export async function deliver(from: SecureChannel, to: SecureChannel, text: string) {
  const frames = unwrap(await from.send(new TextEncoder().encode(text)));
  const received: string[] = [];
  for (const frame of frames) {
    const outcome = unwrap(await to.receive(frame));
    if (outcome.message) received.push(new TextDecoder().decode(outcome.message));
    for (const reply of outcome.reply) unwrap(await from.receive(reply));
  }
  return { frames, received };
}
