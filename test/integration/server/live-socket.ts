// A signaling socket as a client holds it after admission, for moderation tests.
import WebSocket from 'ws';

export interface LiveSocket {
  socket: WebSocket;
  /** Resolves with the close code the server sent. */
  closed: Promise<number>;
}

export async function openSignal(
  wsUrl: string,
  ticket: string,
  roomId: string,
): Promise<LiveSocket> {
  const socket = new WebSocket(`${wsUrl}?ticket=${encodeURIComponent(ticket)}`);
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'subscribe', topics: [roomId] }));
  // A ping answered means the subscribe before it has been processed.
  await new Promise<void>((resolve) => {
    socket.on('message', function onMessage(data) {
      if (JSON.parse(String(data)).type === 'pong') {
        socket.off('message', onMessage);
        resolve();
      }
    });
    socket.send(JSON.stringify({ type: 'ping' }));
  });
  return { socket, closed };
}
