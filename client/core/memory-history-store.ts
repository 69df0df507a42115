// A HistoryStore in memory: for core's unit tests and for sessions that keep nothing.
// Same contract as the persistent stores (copies in, copies out, dedup by id).
import {
  laterDeliveryState,
  messageId,
  type DeliveryState,
  type HighWaterMark,
  type HistoryPageOptions,
  type HistoryStore,
  type PinnedIdentity,
  type StoredMessage,
  type StoredRoom,
} from './history-store';

function order(a: StoredMessage, b: StoredMessage): number {
  if (a.lamport !== b.lamport) return a.lamport - b.lamport;
  if (a.authorDevice !== b.authorDevice) return a.authorDevice < b.authorDevice ? -1 : 1;
  return a.counter - b.counter;
}

export class MemoryHistoryStore implements HistoryStore {
  private readonly rooms = new Map<string, StoredRoom>();
  private readonly messages = new Map<string, Map<string, StoredMessage>>();
  private readonly pins = new Map<string, PinnedIdentity>();

  async putRoom(room: StoredRoom): Promise<void> {
    this.rooms.set(room.roomId, structuredClone(room));
  }
  async getRoom(roomId: string): Promise<StoredRoom | undefined> {
    const room = this.rooms.get(roomId);
    return room && structuredClone(room);
  }
  async listRooms(): Promise<StoredRoom[]> {
    return [...this.rooms.values()]
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((room) => structuredClone(room));
  }
  async deleteRoom(roomId: string): Promise<void> {
    this.rooms.delete(roomId);
    this.messages.delete(roomId);
  }

  private roomMessages(roomId: string): Map<string, StoredMessage> {
    let map = this.messages.get(roomId);
    if (!map) {
      map = new Map();
      this.messages.set(roomId, map);
    }
    return map;
  }

  async addMessages(messages: readonly StoredMessage[]): Promise<StoredMessage[]> {
    const added: StoredMessage[] = [];
    for (const message of messages) {
      const map = this.roomMessages(message.roomId);
      const id = messageId(message.authorDevice, message.counter);
      if (map.has(id)) continue;
      map.set(id, structuredClone(message));
      added.push(structuredClone(message));
    }
    return added;
  }
  async getMessage(roomId: string, authorDevice: string, counter: number) {
    const message = this.messages.get(roomId)?.get(messageId(authorDevice, counter));
    return message && structuredClone(message);
  }
  async setDeliveryState(
    roomId: string,
    authorDevice: string,
    counter: number,
    state: DeliveryState,
  ): Promise<DeliveryState | undefined> {
    const map = this.messages.get(roomId);
    const id = messageId(authorDevice, counter);
    const message = map?.get(id);
    if (!map || !message) return undefined;
    const next = laterDeliveryState(message.state, state);
    map.set(id, { ...message, state: next });
    return next;
  }
  async history(roomId: string, options: HistoryPageOptions = {}): Promise<StoredMessage[]> {
    const all = [...(this.messages.get(roomId)?.values() ?? [])].sort(order).reverse();
    const before = options.before;
    const filtered = before
      ? all.filter((m) => order(m, { ...m, ...before } as StoredMessage) < 0)
      : all;
    return filtered.slice(0, options.limit ?? 50).map((m) => structuredClone(m));
  }
  async countMessages(roomId: string, afterLamport = -Infinity): Promise<number> {
    return [...(this.messages.get(roomId)?.values() ?? [])].filter((m) => m.lamport > afterLamport)
      .length;
  }
  async maxLamport(roomId: string): Promise<number> {
    let max = 0;
    for (const m of this.messages.get(roomId)?.values() ?? []) max = Math.max(max, m.lamport);
    return max;
  }
  async highWaterMarks(roomId: string): Promise<HighWaterMark[]> {
    const counters = new Map<string, number[]>();
    for (const m of this.messages.get(roomId)?.values() ?? []) {
      const list = counters.get(m.authorDevice) ?? [];
      list.push(m.counter);
      counters.set(m.authorDevice, list);
    }
    return [...counters].map(([authorDevice, list]) => {
      const have = new Set(list);
      let contiguous = 0;
      while (have.has(contiguous + 1)) contiguous++;
      return { authorDevice, contiguous, highest: Math.max(...list) };
    });
  }
  async messagesAfter(
    roomId: string,
    authorDevice: string,
    afterCounter: number,
    limit: number,
  ): Promise<StoredMessage[]> {
    return [...(this.messages.get(roomId)?.values() ?? [])]
      .filter((m) => m.authorDevice === authorDevice && m.counter > afterCounter)
      .sort((a, b) => a.counter - b.counter)
      .slice(0, limit)
      .map((m) => structuredClone(m));
  }
  async outbox(roomId?: string): Promise<StoredMessage[]> {
    const rooms = roomId ? [this.messages.get(roomId)] : [...this.messages.values()];
    return rooms
      .flatMap((map) => [...(map?.values() ?? [])])
      .filter((m) => m.state === 'pending')
      .sort((a, b) => a.receivedAt - b.receivedAt || order(a, b))
      .map((m) => structuredClone(m));
  }
  async getPin(username: string): Promise<PinnedIdentity | undefined> {
    const pin = this.pins.get(username);
    return pin && structuredClone(pin);
  }
  async putPin(pin: PinnedIdentity): Promise<void> {
    this.pins.set(pin.username, structuredClone(pin));
  }
  async listPins(): Promise<PinnedIdentity[]> {
    return [...this.pins.values()].map((pin) => structuredClone(pin));
  }
  async close(): Promise<void> {}
}
