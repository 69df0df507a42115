// The worker's api object called directly (no worker): the same functions Comlink exposes.
import { describe, expect, test } from 'vitest';
import 'fake-indexeddb/auto';
import { createCryptoApi } from '../../../client/crypto/api';
import { indexedDbKeyStore } from '../../../client/crypto/worker-api/keystore';
import { fromBase64Url, toBase64Url } from '../../../client/crypto/primitives/bytes';
import type { Result } from '../../../client/crypto/result';

const ROOM_ID = 'CCCCCCCCCCCCCCCCCCCCCC';
const ORIGIN = 'https://chat.example';

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
  return result.value;
}

function fp(seed: number): string {
  return (
    'sha-256 ' +
    Array.from({ length: 32 }, (_, i) => ((seed + i) % 256).toString(16).padStart(2, '0')).join(':')
  );
}

async function handshake(
  api: ReturnType<typeof createCryptoApi>,
  aliceRoom: string,
  bobRoom: string,
  epoch = 0,
) {
  const [alice, bob] = await Promise.all([api.createIdentity(), api.createIdentity()]);
  const a = await api.openChannel({
    identity: alice.handle,
    room: aliceRoom,
    epoch,
    roomId: ROOM_ID,
    fingerprints: { local: fp(1), remote: fp(2) },
  });
  const b = await api.openChannel({
    identity: bob.handle,
    room: bobRoom,
    epoch,
    roomId: ROOM_ID,
    fingerprints: { local: fp(2), remote: fp(1) },
  });
  const aAuth = ok(await api.channelReceive(a.channel, b.hello));
  const bAuth = ok(await api.channelReceive(b.channel, a.hello));
  return {
    a: a.channel,
    b: b.channel,
    alice: await api.channelReceive(a.channel, bAuth.reply[0]!),
    bob: await api.channelReceive(b.channel, aAuth.reply[0]!),
  };
}

describe('crypto api: rooms', () => {
  test('a shared link gives the joiner the same room keys as the creator', async () => {
    const api = createCryptoApi();
    const { room } = api.createRoom();
    const link = api.roomLink(room, ORIGIN, ROOM_ID);
    expect(link).toMatch(new RegExp(`^${ORIGIN}/r/${ROOM_ID}#k=[A-Za-z0-9_-]{43}$`));
    const joined = ok(api.openRoomLink(link));
    expect(joined.roomId).toBe(ROOM_ID);
    const creator = await api.roomCredentials(room);
    const joiner = await api.roomCredentials(joined.room);
    expect(joiner).toEqual(creator);
    const token = ok(fromBase64Url(creator.admitToken));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', token));
    expect(creator.admitVerifier).toBe(toBase64Url(digest));
    // Channels between the two open: both hold the same K_psk.
    const { alice, bob } = await handshake(api, room, joined.room);
    expect(alice.ok && bob.ok).toBe(true);
  });

  test('a link without its secret is refused with a clear message', () => {
    const api = createCryptoApi();
    const result = api.openRoomLink(`${ORIGIN}/r/${ROOM_ID}`);
    expect(result).toMatchObject({
      ok: false,
      message: 'this link is incomplete: the part after # is missing',
    });
  });

  test('after a rotation, members with the new epoch secret talk; the old key does not', async () => {
    const api = createCryptoApi();
    const { room: host } = api.createRoom();
    const member = ok(api.openRoomLink(api.roomLink(host, ORIGIN, ROOM_ID))).room;
    const removed = ok(api.openRoomLink(api.roomLink(host, ORIGIN, ROOM_ID))).room;
    const { epoch, secret } = api.rotateEpoch(host);
    expect(epoch).toBe(1);
    ok(api.addEpochSecret(member, epoch, secret));
    expect(api.addEpochSecret(member, epoch, secret)).toMatchObject({
      ok: false,
      reason: 'replay',
    });
    const current = await handshake(api, host, member, 1);
    expect(current.alice.ok && current.bob.ok).toBe(true);
    // The removed member only has epoch 0: it cannot even open a channel at epoch 1...
    await expect(
      api.openChannel({
        identity: (await api.createIdentity()).handle,
        room: removed,
        epoch: 1,
        roomId: ROOM_ID,
        fingerprints: { local: fp(1), remote: fp(2) },
      }),
    ).rejects.toThrow(/no key for epoch 1/);
    // ...and an epoch-0 channel against an epoch-1 peer fails the K_psk MAC.
    const a = await api.openChannel({
      identity: (await api.createIdentity()).handle,
      room: host,
      epoch: 1,
      roomId: ROOM_ID,
      fingerprints: { local: fp(1), remote: fp(2) },
    });
    const b = await api.openChannel({
      identity: (await api.createIdentity()).handle,
      room: removed,
      epoch: 0,
      roomId: ROOM_ID,
      fingerprints: { local: fp(2), remote: fp(1) },
    });
    const aAuth = ok(await api.channelReceive(a.channel, b.hello));
    ok(await api.channelReceive(b.channel, a.hello));
    expect(await api.channelReceive(b.channel, aAuth.reply[0]!)).toMatchObject({
      ok: false,
      reason: 'bad-mac',
    });
  });

  test('signaling is sealed end to end; a replay is refused', async () => {
    const api = createCryptoApi();
    const { room } = api.createRoom();
    const sealer = await api.createSignalSealer(room, 0, 'peer-a');
    const opener = await api.createSignalOpener(room, 0, 'peer-b');
    const sealed = await api.sealSignal(
      sealer,
      'peer-b',
      new TextEncoder().encode('{"sdp":"offer"}'),
    );
    expect(sealed).not.toContain('offer');
    const opened = ok(await api.openSignal(opener, sealed));
    expect(new TextDecoder().decode(opened.payload)).toBe('{"sdp":"offer"}');
    expect(await api.openSignal(opener, sealed)).toMatchObject({ ok: false, reason: 'replay' });
  });
});

describe('crypto api: channels, storage, handles', () => {
  test('channel options are validated at the boundary', async () => {
    const api = createCryptoApi();
    const { room } = api.createRoom();
    const identity = (await api.createIdentity()).handle;
    const base = { identity, room, roomId: ROOM_ID, fingerprints: { local: fp(1), remote: fp(2) } };
    await expect(api.openChannel({ ...base, suite: 'rot13' })).rejects.toThrow();
    await expect(api.openChannel({ ...base, roomId: 'short' })).rejects.toThrow();
    await expect(api.openChannel({ ...base, identity: 'identity-nope' })).rejects.toMatchObject({
      name: 'UnknownHandleError',
    });
    await expect(api.channelSend('channel-nope', new Uint8Array(1))).rejects.toMatchObject({
      name: 'UnknownHandleError',
    });
  });

  test('the data key wraps under a passphrase and unlocks only with it', async () => {
    const api = createCryptoApi();
    const dataKey = api.createDataKey();
    const location = { store: 'messages', id: 'm1' };
    const record = await api.encryptRecord(
      dataKey,
      location,
      new TextEncoder().encode('secret history'),
    );
    const wrapped = await api.wrapDataKey(dataKey, 'correct horse');
    expect(await api.unwrapDataKey(wrapped, 'wrong horse')).toMatchObject({
      ok: false,
      reason: 'bad-tag',
    });
    const unlocked = ok(
      await api.unwrapDataKey(JSON.parse(JSON.stringify(wrapped)), 'correct horse'),
    );
    const opened = ok(await api.decryptRecord(unlocked, location, record));
    expect(new TextDecoder().decode(opened)).toBe('secret history');
    expect(
      await api.decryptRecord(unlocked, { store: 'messages', id: 'm2' }, record),
    ).toMatchObject({ ok: false });
  });

  test('files: chunked encryption round-trips; the key can travel in an offer', async () => {
    const api = createCryptoApi();
    const fileKey = api.createFileKey();
    const context = new TextEncoder().encode('file-1');
    const data = new Uint8Array(40_000).map((_, i) => i % 256);
    const encryptor = api.createFileEncryptor(fileKey, context);
    const chunks = [
      encryptor.header,
      ...(await api.fileEncryptorPush(encryptor.handle, data)),
      await api.fileEncryptorFinish(encryptor.handle),
    ];
    const receiverKey = ok(api.importFileKey(api.exportFileKey(fileKey)));
    const decryptor = ok(api.createFileDecryptor(receiverKey, context));
    const plain: Uint8Array[] = [];
    for (const chunk of chunks) plain.push(...ok(await api.fileDecryptorPush(decryptor, chunk)));
    plain.push(ok(await api.fileDecryptorFinish(decryptor)));
    expect(new Uint8Array(plain.flatMap((p) => [...p]))).toEqual(data);
    const hash = await api.createSha256Stream();
    api.sha256Update(hash, data.subarray(0, 1000));
    api.sha256Update(hash, data.subarray(1000));
    expect(api.sha256Digest(hash)).toEqual(
      new Uint8Array(await crypto.subtle.digest('SHA-256', data)),
    );
  });

  test('a saved identity survives a restart of the worker (IndexedDB)', async () => {
    const keyStore = indexedDbKeyStore(`keys-${Math.random()}`);
    const first = createCryptoApi({ keyStore });
    const identity = await first.createIdentity();
    expect(await first.loadSavedIdentity()).toBeNull();
    await first.saveIdentity(identity.handle);
    const second = createCryptoApi({ keyStore }); // a new worker, same device
    const loaded = ok((await second.loadSavedIdentity())!);
    expect(loaded.publicKey).toEqual(identity.publicKey);
    expect(loaded.fingerprint).toBe(identity.fingerprint);
    const signature = await second.signEnvelope(loaded.handle, { n: 1 });
    expect((await second.verifyEnvelope(identity, { n: 1 }, signature)).ok).toBe(true);
    await second.forgetSavedIdentity();
    expect(await second.loadSavedIdentity()).toBeNull();
  });

  test('release forgets a handle and erases its key', async () => {
    const api = createCryptoApi();
    const before = api.liveHandles();
    const fileKey = api.createFileKey();
    expect(api.liveHandles()).toBe(before + 1);
    const exported = api.exportFileKey(fileKey);
    expect(exported.some((b) => b !== 0)).toBe(true);
    api.release(fileKey);
    expect(api.liveHandles()).toBe(before);
    expect(() => api.exportFileKey(fileKey)).toThrow(/no file-key/);
  });
});
