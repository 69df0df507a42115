// One person's y-webrtc client in its own process: y-webrtc keeps one provider per room
// name per JS realm, so two peers of the same room need two processes. It writes its
// name into a shared Y.Map, reports (one JSON line on stdout) when the map holds every
// expected name, and leaves when its stdin closes.
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';

const [signalingUrl, roomName, password, name, others] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const expected = [name, ...others.split(',')];

// NOTE: lib0's WebsocketClient uses the global WebSocket, as in a browser.
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;

const doc = new Y.Doc();
const provider = new WebrtcProvider(roomName, doc, {
  signaling: [signalingUrl],
  password,
  peerOpts: { wrtc },
});
const shared = doc.getMap<string>('greetings');
shared.set(name, `hello from ${name}`);

const webrtcPeers = new Set<string>();
provider.on('peers', (event: { webrtcPeers: string[] }) => {
  for (const peer of event.webrtcPeers) webrtcPeers.add(peer);
  report();
});
shared.observe(() => report());

let reported = false;
function report(): void {
  if (reported || !expected.every((key) => shared.has(key))) return;
  reported = true;
  process.stdout.write(
    JSON.stringify({ name, greetings: shared.toJSON(), webrtcPeers: webrtcPeers.size }) + '\n',
  );
}

process.stdin.resume();
process.stdin.on('end', () => {
  provider.destroy();
  doc.destroy();
  // NOTE: wrtc keeps native threads alive; leave explicitly.
  setTimeout(() => process.exit(0), 100);
});
