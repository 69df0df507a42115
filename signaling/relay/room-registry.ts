import { WebSocket } from 'ws';
import { publishWithClients } from './frames';

/** What the registry needs from a connection. */
export interface Subscriber {
  readonly socket: WebSocket;
}

/**
 * Topic -> subscribers, as in y-webrtc's server. A ticket admits one room, so a topic
 * here is always a room id and a connection sits in at most one set.
 */
export class RoomRegistry<S extends Subscriber> {
  private readonly topics = new Map<string, Set<S>>();

  subscribe(topic: string, subscriber: S): void {
    let set = this.topics.get(topic);
    if (!set) {
      set = new Set();
      this.topics.set(topic, set);
    }
    set.add(subscriber);
  }

  unsubscribe(topic: string, subscriber: S): void {
    const set = this.topics.get(topic);
    if (!set) return;
    set.delete(subscriber);
    if (set.size === 0) this.topics.delete(topic);
  }

  /**
   * Forwards a publish to every subscriber of the topic, the sender included, with
   * `clients` = the number of receivers (y-webrtc's server does the same). Receivers
   * whose queue is already too long are handed to `onSlowConsumer` instead of being
   * buffered forever. Returns how many got the frame.
   */
  publish(
    topic: string,
    text: string,
    maxBufferedBytes: number,
    onSlowConsumer: (s: S) => void,
  ): number {
    const receivers = this.topics.get(topic);
    if (!receivers || receivers.size === 0) return 0;
    const frame = publishWithClients(text, receivers.size);
    let delivered = 0;
    // Deleting from a Set while iterating it is safe, so a slow consumer may leave mid-loop.
    for (const receiver of receivers) {
      const socket = receiver.socket;
      if (socket.readyState !== WebSocket.OPEN) continue;
      if (socket.bufferedAmount > maxBufferedBytes) {
        onSlowConsumer(receiver);
        continue;
      }
      socket.send(frame, { binary: false });
      delivered += 1;
    }
    return delivered;
  }

  subscriberCount(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }
}
