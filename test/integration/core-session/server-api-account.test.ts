// The account calls the app's Settings and "Forgot password" use, against the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerApi, ServerError } from '../../../client/core/server-api';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';

const NEW_PASSWORD = 'a much longer harbour password';

function failure(promise: Promise<unknown>): Promise<ServerError> {
  return promise.then(
    () => {
      throw new Error('expected the server to refuse');
    },
    (error: unknown) => error as ServerError,
  );
}

describe('ServerApi account calls', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const client = api(server.url);
    for (const name of ['dora', 'emil']) await client.register(name);
  });
  afterAll(async () => {
    await server.close();
  });

  it('changes the password only with the current one, and signs out', async () => {
    const dora = new ServerApi({ baseUrl: server.url });
    await dora.login('dora', TEST_PASSWORD);
    const wrong = await failure(dora.changePassword('not my password', NEW_PASSWORD));
    expect(wrong).toBeInstanceOf(ServerError);
    expect(wrong.message).toBe('Your current password is wrong.');
    await dora.changePassword(TEST_PASSWORD, NEW_PASSWORD);
    expect(await dora.me()).toBeNull();
    await expect(failure(dora.login('dora', TEST_PASSWORD))).resolves.toMatchObject({
      status: 401,
    });
    await dora.login('dora', NEW_PASSWORD);
    expect((await dora.me())?.username).toBe('dora');
  });

  it('deletes the account with its password; the name can no longer sign in', async () => {
    const emil = new ServerApi({ baseUrl: server.url });
    await emil.login('emil', TEST_PASSWORD);
    expect((await failure(emil.deleteAccount('wrong'))).status).toBe(403);
    await emil.deleteAccount(TEST_PASSWORD);
    expect(await emil.me()).toBeNull();
    expect((await failure(emil.login('emil', TEST_PASSWORD))).status).toBe(401);
  });

  it('asks for a reset the same way for anyone, and refuses a made-up code', async () => {
    const anyone = new ServerApi({ baseUrl: server.url });
    await anyone.requestPasswordReset('dora');
    await anyone.requestPasswordReset('nobody-by-that-name');
    const refused = await failure(anyone.confirmPasswordReset('A'.repeat(43), NEW_PASSWORD));
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/invalid, already used or expired/);
  });
});
