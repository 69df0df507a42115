// Rooms of terminal clients for the scenario tests: the first person creates the room,
// the others join with its link, and the fixture waits (on events, never on time) until
// every pair has a verified secure channel.
import { afterAll, beforeAll } from 'vitest';
import { CliPeer, type CliPeerOptions } from '../../helpers/cli-peer';
import { startTestServer, type TestServer } from '../../helpers/server';

export interface Room {
  link: string;
  peers: CliPeer[];
}

type PeerExtras = Partial<Omit<CliPeerOptions, 'server' | 'username' | 'room'>>;

/** Waits until each peer sees every other one verified. */
export async function allVerified(peers: CliPeer[], timeout = 30_000): Promise<void> {
  await Promise.all(
    peers.flatMap((peer) =>
      peers
        .filter((other) => other !== peer)
        .map((other) => peer.waitForVerified(other.name, { timeout })),
    ),
  );
}

export async function openRoom(
  server: string,
  names: string[],
  options: { host?: PeerExtras; members?: PeerExtras; track?: CliPeer[] } = {},
): Promise<Room> {
  const [hostName, ...memberNames] = names;
  const host = new CliPeer({ server, username: hostName!, room: 'create', ...options.host });
  options.track?.push(host);
  const link = await host.link(30_000);
  const members = memberNames.map(
    (username) => new CliPeer({ server, username, room: link, ...options.members }),
  );
  options.track?.push(...members);
  const peers = [host, ...members];
  await allVerified(peers);
  return { link, peers };
}

/** Each peer types its line; every other peer shows it, exactly once. */
export async function everyoneHearsEveryone(peers: CliPeer[], tag: string): Promise<void> {
  for (const peer of peers) peer.send(`${tag} from ${peer.name}`);
  await Promise.all(
    peers.flatMap((reader) =>
      peers
        .filter((writer) => writer !== reader)
        .map((writer) => reader.waitForMessage(`${tag} from ${writer.name}`)),
    ),
  );
}

export async function disposeAll(peers: CliPeer[]): Promise<void> {
  await Promise.all(peers.map((peer) => peer.dispose()));
}

/**
 * One real server for the test file and every CLI peer its tests start (push them onto
 * `peers`); all of them are stopped after the file. Call it inside a `describe`.
 */
export function useServerWithPeers(): { readonly server: TestServer; readonly peers: CliPeer[] } {
  let server: TestServer | undefined;
  const peers: CliPeer[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await disposeAll(peers);
    await server?.close();
  });
  return {
    get server(): TestServer {
      if (!server) throw new Error('the test server is not started yet (use it inside a test)');
      return server;
    },
    peers,
  };
}
