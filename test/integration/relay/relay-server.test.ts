import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../signaling/logger';
import { SignalCloseCode } from '../../../signaling/protocol';
import { api, roomKey } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { TestClient, upgradeStatus } from '../../unit/signaling/relay/relay-harness';

/** Everything the server's operational log printed, to search it for secrets. */
class CapturedLog extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('the relay inside the real server: admit over HTTP, then signal', () => {
  let server: TestServer;
  const log = new CapturedLog();
  let client: ReturnType<typeof api>;
  let roomId: string;
  let key: { admit: string; verifier: string };
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer(
      { ALLOWED_ORIGINS: 'https://chat.example.org' },
      { logger: createLogger({ level: 'debug', destination: log }) },
    );
    client = api(server.url);
    for (const name of ['host', 'guest', 'other']) cookies[name] = await client.signUp(name);
    key = roomKey();
    roomId = await client.createRoom(cookies.host!, { verifier: key.verifier });
  });
  afterAll(() => server.close());

  const admitted = async (who: string) => {
    const ticket = await client.admit(cookies[who]!, roomId, { admit: key.admit });
    return { ticket, url: `${server.wsUrl}?ticket=${encodeURIComponent(ticket)}` };
  };

  it('relays between two admitted people, and nothing reaches someone from another room', async () => {
    const otherKey = roomKey();
    const otherRoom = await client.createRoom(cookies.other!, { verifier: otherKey.verifier });
    const otherTicket = await client.admit(cookies.other!, otherRoom, { admit: otherKey.admit });
    const outsider = await TestClient.open(`${server.wsUrl}?ticket=${otherTicket}`);
    outsider.send({ type: 'subscribe', topics: [roomId, otherRoom] });

    const host = await TestClient.open((await admitted('host')).url);
    const guest = await TestClient.open((await admitted('guest')).url);
    for (const c of [host, guest]) c.send({ type: 'subscribe', topics: [roomId] });
    await host.roundTrip();
    await guest.roundTrip();
    const secretPayload = 'c2VjcmV0LXNkcC1vZmZlci1jaXBoZXJ0ZXh0';
    host.send({ type: 'publish', topic: roomId, data: secretPayload });
    outsider.send({ type: 'publish', topic: roomId, data: 'intruder' });
    await guest.waitFor(() => guest.countOf('publish') === 1);
    await outsider.roundTrip();
    await guest.roundTrip();

    expect(guest.messages[guest.messages.length - 2]).toEqual({
      type: 'publish',
      topic: roomId,
      data: secretPayload,
      clients: 2,
    });
    expect(outsider.countOf('publish')).toBe(0);
    expect(guest.messages.some((m) => JSON.stringify(m).includes('intruder'))).toBe(false);

    const adminView = server.relay.connections().filter((c) => c.roomId === roomId);
    expect(adminView.map((c) => c.username).sort()).toEqual(['guest', 'host']);
    // Payloads and tickets never reach the operational log or the security log.
    const securityLog = JSON.stringify(server.services.securityLog.recent(500));
    for (const text of [log.text, securityLog]) {
      expect(text).not.toContain(secretPayload);
      expect(text).not.toContain(otherTicket.split('.')[1]);
    }
    expect(securityLog).toContain('ws.admitted');
    expect(securityLog).toContain('foreign_topic');
    for (const c of [host, guest, outsider]) c.ws.close();
  });

  it("checks the Origin against the server's own and ALLOWED_ORIGINS (403 otherwise)", async () => {
    const { url } = await admitted('guest');
    expect(await upgradeStatus(url, { Origin: server.url })).toBe(101);
    expect(await upgradeStatus(url, { Origin: 'https://chat.example.org' })).toBe(101);
    expect(await upgradeStatus(url, { Origin: 'https://evil.example.org' })).toBe(403);
    expect(await upgradeStatus(url, { Origin: server.url.replace('http:', 'https:') })).toBe(403);
  });

  it('401 without a ticket or with one signed by another server', async () => {
    expect(await upgradeStatus(server.wsUrl)).toBe(401);
    const { ticket } = await admitted('guest');
    const [payload] = ticket.split('.');
    const forged = `${payload}.${'A'.repeat(43)}`;
    expect(await upgradeStatus(`${server.wsUrl}?ticket=${forged}`)).toBe(401);
    const securityLog = JSON.stringify(server.services.securityLog.recent(500));
    expect(securityLog).toContain('ws.refused');
    expect(securityLog).not.toContain(forged);
  });

  it('an account ban by an admin closes that user everywhere at once (4004)', async () => {
    const victim = await TestClient.open((await admitted('guest')).url);
    victim.send({ type: 'subscribe', topics: [roomId] });
    await victim.roundTrip();
    const target = server.services.users.byUsername('guest')!;
    expect(server.relay.disconnect({ userId: target.id }, SignalCloseCode.banned, 'banned')).toBe(
      1,
    );
    expect((await victim.closed).code).toBe(SignalCloseCode.banned);
  });
});
