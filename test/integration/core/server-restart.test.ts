// A server restart in the middle of a conversation heals without anyone doing anything:
// the peers keep talking over their direct connections, reconnect to the server when it is
// back, and a newcomer then finds everyone. Nothing is lost or shown twice.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliPeer } from '../../helpers/cli-peer';
import { startTestServer, type TestServer } from '../../helpers/server';
import { allVerified, disposeAll, everyoneHearsEveryone, openRoom } from './room-fixture';

describe('a server restart mid-chat', () => {
  let server: TestServer;
  const peers: CliPeer[] = [];

  beforeAll(async () => {
    server = await startTestServer({}, { keepDataDir: true });
  });
  afterAll(async () => {
    await disposeAll(peers);
    await server?.close();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  function peer(options: ConstructorParameters<typeof CliPeer>[0]): CliPeer {
    const created = new CliPeer(options);
    peers.push(created);
    return created;
  }

  it('heals without anyone doing anything', async () => {
    const {
      link,
      peers: [alice, bob],
    } = await openRoom(server.url, ['alicer', 'bobr'], {
      track: peers,
    });
    await everyoneHearsEveryone([alice!, bob!], 'before the restart');
    const port = new URL(server.url).port;
    const mark = alice!.mark();
    await server.close();
    await alice!.waitForEvent('connection', (e) => e.state !== 'online', { after: mark });

    // The peers' direct connection does not need the server.
    await everyoneHearsEveryone([alice!, bob!], 'while the server is down');

    server = await startTestServer({ PORT: port }, { dataDir: server.dataDir });
    await alice!.waitForEvent('connection', (e) => e.state === 'online', {
      after: mark,
      timeout: 30_000,
    });
    // Signaling works again: a newcomer finds both and everyone talks.
    const carol = peer({ server: server.url, username: 'carolr', room: link });
    await allVerified([alice!, bob!, carol], 40_000);
    await everyoneHearsEveryone([alice!, bob!, carol], 'after the restart');
    // Nothing was lost or shown twice across the reconnect.
    for (const tag of ['before the restart', 'while the server is down', 'after the restart']) {
      expect(bob!.messages(`${tag} from alicer`)).toHaveLength(1);
      expect(alice!.messages(`${tag} from bobr`)).toHaveLength(1);
    }
  }, 90_000);
});
