// Saving the device identity and a room's secrets under the device data key, and getting
// them back after a restart (a fresh api object, or a fresh worker thread, that only has
// the wrapped data key and the sealed records). Real crypto throughout, no mocks.
import { describe, expect, test } from 'vitest';
import { createCryptoApi, type CryptoApi } from '../../../client/crypto/api';
import { startNodeCryptoWorker } from '../../../client/crypto/node-worker';
import { DEFAULT_ARGON2 } from '../../../client/crypto/primitives/argon2';
import { fromBase64Url } from '../../../client/crypto/primitives/bytes';
import type { Result } from '../../../client/crypto/result';
import { IdentityNotSealableError } from '../../../client/crypto/worker-api/sealed-identity';

const ROOM_ID = 'RRRRRRRRRRRRRRRRRRRRRR';
const OTHER_ROOM_ID = 'SSSSSSSSSSSSSSSSSSSSSS';
const ORIGIN = 'https://chat.example';
const PASSPHRASE = 'correct horse battery staple';
const ENVELOPE = { id: 'm1', text: 'hello after a restart', lamport: 7 };

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
  return result.value;
}

/** A device's first run: a data key (wrapped, as it would be on disk) and the api. */
async function firstRun() {
  const api = createCryptoApi();
  const dataKey = api.createDataKey();
  const wrapped = await api.wrapDataKey(dataKey, PASSPHRASE, DEFAULT_ARGON2);
  return { api, dataKey, wrapped };
}

/** The same device after a restart: nothing but what was written to disk. */
async function restart(wrapped: unknown): Promise<{ api: CryptoApi; dataKey: string }> {
  const api = createCryptoApi();
  return { api, dataKey: ok(await api.unwrapDataKey(wrapped, PASSPHRASE)) };
}

function flipped(record: Uint8Array, index: number, mask: number): Uint8Array {
  const copy = record.slice();
  copy[index]! ^= mask;
  return copy;
}

describe('sealed identity', () => {
  test.each(['ed25519', 'ecdsa-p256'] as const)(
    '%s: after a restart the identity has the same key and its signatures verify',
    async (alg) => {
      const before = await firstRun();
      const created = await before.api.createSealableIdentity(alg);
      const signedBefore = await before.api.signEnvelope(created.handle, ENVELOPE);
      const record = await before.api.exportIdentitySealed(created.handle, before.dataKey);

      const after = await restart(before.wrapped);
      const restored = ok(await after.api.importIdentitySealed(after.dataKey, record));
      expect(restored.fingerprint).toBe(created.fingerprint);
      expect(restored.alg).toBe(alg);
      expect(Array.from(restored.publicKey)).toEqual(Array.from(created.publicKey));

      const author = { alg: created.alg, publicKey: created.publicKey };
      const signedAfter = await after.api.signEnvelope(restored.handle, ENVELOPE);
      expect((await after.api.verifyEnvelope(author, ENVELOPE, signedAfter)).ok).toBe(true);
      expect((await after.api.verifyEnvelope(author, ENVELOPE, signedBefore)).ok).toBe(true);
      // The restored private key is non-extractable: the key store accepts only such keys.
      await after.api.saveIdentity(restored.handle, 'restored');
      expect(ok((await after.api.loadSavedIdentity('restored'))!).fingerprint).toBe(
        created.fingerprint,
      );
    },
  );

  test('a sealable identity talks to peers like any other (channel handshake verifies)', async () => {
    const api = createCryptoApi();
    const { room } = api.createRoom();
    const alice = await api.createSealableIdentity();
    const bob = await api.createIdentity();
    const fp = (seed: number) =>
      'sha-256 ' +
      Array.from({ length: 32 }, (_, i) => ((seed + i) % 256).toString(16).padStart(2, '0'))
        .join(':')
        .toUpperCase();
    const open = (identity: string, local: number, remote: number) =>
      api.openChannel({
        identity,
        room,
        roomId: ROOM_ID,
        fingerprints: { local: fp(local), remote: fp(remote) },
      });
    const [a, b] = await Promise.all([open(alice.handle, 1, 2), open(bob.handle, 2, 1)]);
    const aAuth = ok(await api.channelReceive(a.channel, b.hello)).reply[0]!;
    const bAuth = ok(await api.channelReceive(b.channel, a.hello)).reply[0]!;
    ok(await api.channelReceive(a.channel, bAuth));
    ok(await api.channelReceive(b.channel, aAuth));
    expect(api.channelInfo(b.channel).peerIdentity?.publicKey).toEqual(alice.publicKey);
  });

  test('an ordinary (non-extractable only) identity cannot be exported', async () => {
    const api = createCryptoApi();
    const identity = await api.createIdentity();
    await expect(api.exportIdentitySealed(identity.handle, api.createDataKey())).rejects.toThrow(
      IdentityNotSealableError,
    );
  });

  test('wrong data key, any altered byte, any truncation, appended bytes: typed failures', async () => {
    const api = createCryptoApi();
    const dataKey = api.createDataKey();
    const identity = await api.createSealableIdentity();
    const record = await api.exportIdentitySealed(identity.handle, dataKey);

    const wrongKey = await api.importIdentitySealed(api.createDataKey(), record);
    expect(wrongKey).toMatchObject({ ok: false, reason: 'bad-tag' });

    const allowed = ['bad-tag', 'truncated', 'malformed', 'unsupported-version'];
    for (let i = 0; i < record.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const opened = await api.importIdentitySealed(dataKey, flipped(record, i, mask));
        expect(opened.ok, `byte ${i} ^ ${mask}`).toBe(false);
        if (!opened.ok) expect(allowed).toContain(opened.reason);
      }
    }
    for (let length = 0; length < record.length; length++) {
      const opened = await api.importIdentitySealed(dataKey, record.slice(0, length));
      expect(opened.ok, `cut to ${length} bytes`).toBe(false);
      if (!opened.ok) expect(['truncated', 'bad-tag']).toContain(opened.reason);
    }
    const longer = new Uint8Array(record.length + 1);
    longer.set(record);
    expect(await api.importIdentitySealed(dataKey, longer)).toMatchObject({ reason: 'bad-tag' });
    expect(await api.importIdentitySealed(dataKey, 'not bytes' as never)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    // The original still opens: none of the above changed anything.
    expect(ok(await api.importIdentitySealed(dataKey, record)).fingerprint).toBe(
      identity.fingerprint,
    );
    // Two data keys, the identity and the one restored copy: no failure left a handle behind.
    expect(api.liveHandles()).toBe(4);
  });

  test('records from elsewhere do not open as an identity, and the page cannot open one', async () => {
    const api = createCryptoApi();
    const dataKey = api.createDataKey();
    const identity = await api.createSealableIdentity();
    const record = await api.exportIdentitySealed(identity.handle, dataKey);
    const roomRecord = await api.sealRoomSecrets(api.createRoom().room, dataKey, ROOM_ID);
    const pageRecord = await api.encryptRecord(
      dataKey,
      { store: 'identity', id: 'device' },
      record,
    );

    expect(await api.importIdentitySealed(dataKey, roomRecord)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect((await api.importIdentitySealed(dataKey, pageRecord)).ok).toBe(false);
    // decryptRecord is open to the page with any location: it must not unseal a secret.
    for (const location of [
      { store: 'identity', id: 'device' },
      { store: 'sealed-secret', id: 'device-identity' },
      { store: 'p2p-secure-chat/v1/sealed-secret', id: 'identity' },
    ]) {
      expect(await api.decryptRecord(dataKey, location, record)).toMatchObject({ ok: false });
    }
  });
});

describe('sealed room secrets', () => {
  test('a reopened room has every epoch and derives the same keys, token and link', async () => {
    const before = await firstRun();
    const { room } = before.api.createRoom();
    before.api.rotateEpoch(room);
    before.api.rotateEpoch(room);
    const record = await before.api.sealRoomSecrets(room, before.dataKey, ROOM_ID);

    const after = await restart(before.wrapped);
    const reopened = ok(await after.api.openRoomSecrets(after.dataKey, record, ROOM_ID));
    expect(after.api.roomEpochs(reopened)).toEqual([0, 1, 2]);
    for (const epoch of [0, 1, 2]) {
      expect(await after.api.roomCredentials(reopened, epoch)).toEqual(
        await before.api.roomCredentials(room, epoch),
      );
    }
    expect(after.api.roomLink(reopened, ORIGIN, ROOM_ID)).toBe(
      before.api.roomLink(room, ORIGIN, ROOM_ID),
    );
    // A signaling payload sealed by the reopened room opens at a member who never restarted.
    const sealer = await after.api.createSignalSealer(reopened, 2, 'peer-a');
    const opener = await before.api.createSignalOpener(room, 2, 'peer-b');
    const sealed = await after.api.sealSignal(sealer, 'peer-b', new Uint8Array([1, 2, 3]));
    expect(ok(await before.api.openSignal(opener, sealed))).toMatchObject({ from: 'peer-a' });
  });

  test('a member who received epoch secrets keeps them across a restart', async () => {
    const api = createCryptoApi();
    const dataKey = api.createDataKey();
    const host = api.createRoom().room;
    const link = api.roomLink(host, ORIGIN, ROOM_ID);
    const member = ok(api.openRoomLink(link)).room;
    const rotation = api.rotateEpoch(host);
    ok(api.addEpochSecret(member, rotation.epoch, rotation.secret));
    const reopened = ok(
      await api.openRoomSecrets(dataKey, await api.sealRoomSecrets(member, dataKey, ROOM_ID)),
    );
    expect(await api.roomCredentials(reopened, 1)).toEqual(await api.roomCredentials(host, 1));
  });

  test('wrong data key, another room, altered or cut records: typed failures', async () => {
    const api = createCryptoApi();
    const dataKey = api.createDataKey();
    const { room } = api.createRoom();
    api.rotateEpoch(room);
    const record = await api.sealRoomSecrets(room, dataKey, ROOM_ID);

    expect(await api.openRoomSecrets(api.createDataKey(), record)).toMatchObject({
      reason: 'bad-tag',
    });
    expect(await api.openRoomSecrets(dataKey, record, OTHER_ROOM_ID)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    // Rewriting the room id in the clear header to another valid id fails authentication.
    const swapped = record.slice();
    swapped.set(new TextEncoder().encode(OTHER_ROOM_ID), 4);
    expect(await api.openRoomSecrets(dataKey, swapped, OTHER_ROOM_ID)).toMatchObject({
      reason: 'bad-tag',
    });
    for (let i = 0; i < record.length; i++) {
      const opened = await api.openRoomSecrets(dataKey, flipped(record, i, 0x04));
      expect(opened.ok, `byte ${i}`).toBe(false);
    }
    for (let length = 0; length < record.length; length++) {
      expect((await api.openRoomSecrets(dataKey, record.slice(0, length))).ok).toBe(false);
    }
    const identity = await api.createSealableIdentity();
    const identityRecord = await api.exportIdentitySealed(identity.handle, dataKey);
    expect(await api.openRoomSecrets(dataKey, identityRecord)).toMatchObject({
      reason: 'malformed',
    });
    expect(api.roomEpochs(ok(await api.openRoomSecrets(dataKey, record)))).toEqual([0, 1]);
  });

  test('the record holds no secret in the clear', async () => {
    const api = createCryptoApi();
    const dataKey = api.createDataKey();
    const { room } = api.createRoom();
    const link = api.roomLink(room, ORIGIN, ROOM_ID);
    const linkSecret = ok(fromBase64Url(link.split('#k=')[1]!));
    const epochSecret = api.rotateEpoch(room).secret;
    const record = await api.sealRoomSecrets(room, dataKey, ROOM_ID);
    const text = Buffer.from(record).toString('latin1');
    for (const secret of [linkSecret, epochSecret]) {
      expect(secret).toHaveLength(32);
      for (let start = 0; start + 8 <= secret.length; start++) {
        expect(Buffer.from(record).indexOf(Buffer.from(secret.subarray(start, start + 8)))).toBe(
          -1,
        );
      }
      expect(text).not.toContain(Buffer.from(secret).toString('base64url').slice(0, 12));
    }
    expect(text).toContain(ROOM_ID); // public, so records can be filed by room
  });
});

describe('sealed identity through a real worker thread', () => {
  test('a CLI restart (a new worker) shows peers the same identity key', async () => {
    const first = startNodeCryptoWorker();
    let wrapped: unknown;
    let record: Uint8Array;
    let fingerprint: string;
    try {
      const dataKey = await first.api.createDataKey();
      wrapped = await first.api.wrapDataKey(dataKey, PASSPHRASE, DEFAULT_ARGON2);
      const created = await first.api.createSealableIdentity();
      fingerprint = created.fingerprint;
      record = await first.api.exportIdentitySealed(created.handle, dataKey);
    } finally {
      await first.terminate();
    }
    const second = startNodeCryptoWorker();
    try {
      const dataKey = ok(await second.api.unwrapDataKey(wrapped, PASSPHRASE));
      const restored = ok(await second.api.importIdentitySealed(dataKey, record));
      expect(restored.fingerprint).toBe(fingerprint);
      const signature = await second.api.signEnvelope(restored.handle, ENVELOPE);
      const author = { alg: restored.alg, publicKey: restored.publicKey };
      expect((await second.api.verifyEnvelope(author, ENVELOPE, signature)).ok).toBe(true);
    } finally {
      await second.terminate();
    }
  });
});
