// Getting in, and being told why not: the ServerApi keeps the session in Node and passes
// on the server's own words; RoomSession.join turns refusals into JoinError codes, and a
// broken link fails before any request is made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCryptoApi } from '../../../client/crypto/api';
import { MemoryHistoryStore } from '../../../client/core/memory-history-store';
import { JoinError, RoomSession } from '../../../client/core/room-session';
import { ServerApi, ServerError } from '../../../client/core/server-api';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';

const crypto = createCryptoApi();

describe('joining a room', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const client = api(server.url);
    for (const name of ['alice', 'bob']) await client.register(name);
  });
  afterAll(async () => {
    await server.close();
  });

  async function signedIn(name: string, fetchImpl?: typeof fetch) {
    const serverApi = new ServerApi({
      baseUrl: server.url,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });
    await serverApi.login(name, TEST_PASSWORD);
    const identity = await crypto.createIdentity();
    return {
      server: serverApi,
      crypto,
      identity,
      store: new MemoryHistoryStore(),
      displayName: name,
      username: name,
      WebSocket,
    };
  }

  it('keeps the session cookie and says who is signed in', async () => {
    const serverApi = new ServerApi({ baseUrl: server.url });
    expect(await serverApi.me()).toBeNull();
    await serverApi.login('alice', TEST_PASSWORD);
    expect(await serverApi.me()).toMatchObject({ username: 'alice' });
    const wrong = await serverApi.login('alice', 'not the password').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ServerError);
    expect(wrong).toMatchObject({ status: 401, message: 'Wrong username or password.' });
  });

  it('refuses a broken link before any network call', async () => {
    const calls: string[] = [];
    const options = await signedIn('alice');
    const counting: typeof fetch = (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    };
    const watched = { ...options, server: new ServerApi({ baseUrl: server.url, fetch: counting }) };
    for (const link of [
      'not a link at all',
      `${server.url}/r/AAAAAAAAAAAAAAAAAAAAAA`,
      `${server.url}/r/AAAAAAAAAAAAAAAAAAAAAA#k=tooShort`,
      `${server.url}/r/short#k=${'A'.repeat(43)}`,
    ]) {
      const error = await RoomSession.join(link, watched).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JoinError);
      expect(error).toMatchObject({ code: 'bad-link' });
    }
    expect(calls).toEqual([]);
  });

  it('says why the door stays shut: wrong password, unknown room, not signed in', async () => {
    const alice = await signedIn('alice');
    const { session, link } = await RoomSession.create({
      ...alice,
      origin: server.url,
      roomPassword: 'door code 1234',
    });
    try {
      const bob = await signedIn('bob');
      const noPassword = await RoomSession.join(link, bob).catch((e: unknown) => e);
      expect(noPassword).toMatchObject({
        code: 'wrong-secret-or-password',
        message: 'The room key or the room password is wrong.',
      });
      const wrongPassword = await RoomSession.join(link, { ...bob, roomPassword: 'guess' }).catch(
        (e: unknown) => e,
      );
      expect(wrongPassword).toMatchObject({ code: 'wrong-secret-or-password' });
      const otherSecret = link.replace(/#k=.*/, `#k=${'A'.repeat(43)}`);
      expect(
        await RoomSession.join(otherSecret, { ...bob, roomPassword: 'door code 1234' }).catch(
          (e: unknown) => e,
        ),
      ).toMatchObject({ code: 'wrong-secret-or-password' });
      const unknownRoom = link.replace(/\/r\/[^#]+/, '/r/AAAAAAAAAAAAAAAAAAAAAA');
      expect(await RoomSession.join(unknownRoom, bob).catch((e: unknown) => e)).toMatchObject({
        code: 'not-found',
      });
      const anonymous = { ...bob, server: new ServerApi({ baseUrl: server.url }) };
      expect(await RoomSession.join(link, anonymous).catch((e: unknown) => e)).toMatchObject({
        code: 'unauthenticated',
      });
    } finally {
      await session.leave();
    }
  });

  it('says so when the server cannot be reached', async () => {
    const alice = await signedIn('alice');
    const { session, link } = await RoomSession.create({ ...alice, origin: server.url });
    await session.leave();
    const offline = { ...alice, server: new ServerApi({ baseUrl: 'http://127.0.0.1:9' }) };
    expect(await RoomSession.join(link, offline).catch((e: unknown) => e)).toMatchObject({
      code: 'network',
    });
  });
});
