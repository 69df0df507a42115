// What the room screen has loaded of a conversation: newest page first, older pages on
// demand, live messages in order and once, delivery states that only move forward.
import { describe, expect, it } from 'vitest';
import type {
  MessageView,
  RoomController,
  RoomControllerEvents,
} from '../../../client/app/app-types';
import { MessageHistory } from '../../../client/ui/message-history';

function message(lamport: number, overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: `dev:${lamport}`,
    authorDevice: 'dev',
    counter: lamport,
    username: 'bob',
    displayName: 'bob',
    text: `message ${lamport}`,
    sentAt: lamport * 1000,
    lamport,
    epoch: 0,
    own: false,
    state: 'delivered',
    ...overrides,
  };
}

/** A room with `stored` messages; page() answers when `release()` is called, if gated. */
function fakeRoom(stored: MessageView[], options: { gated?: boolean } = {}) {
  const listeners = new Map<string, Set<(event: unknown) => void>>();
  const waiting: (() => void)[] = [];
  const controller = {
    count: async () => stored.length,
    page: async ({ beforeId, limit = 100 }: { beforeId?: string; limit?: number } = {}) => {
      if (options.gated) await new Promise<void>((resolve) => waiting.push(resolve));
      const end = beforeId ? stored.findIndex((m) => m.id === beforeId) : stored.length;
      return stored.slice(Math.max(0, end - limit), end);
    },
    on: (type: string, listener: (event: unknown) => void) => {
      const set = listeners.get(type) ?? new Set();
      listeners.set(type, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  } as unknown as RoomController;
  return {
    controller,
    emit<K extends keyof RoomControllerEvents>(type: K, event: RoomControllerEvents[K]) {
      for (const listener of listeners.get(type) ?? []) listener(event);
    },
    release: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
}

function track(room: ReturnType<typeof fakeRoom>, pageSize: number) {
  const errors: unknown[] = [];
  let changes = 0;
  const history = new MessageHistory(
    room.controller,
    {
      beforeChange: () => undefined,
      changed: () => void changes++,
      arrived: () => undefined,
      error: (error) => errors.push(error),
    },
    pageSize,
  );
  return { history, errors, changes: () => changes };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('MessageHistory', () => {
  it('shows the newest page first, then older pages until the conversation starts', async () => {
    const stored = Array.from({ length: 250 }, (_, i) => message(i + 1));
    const { history } = track(fakeRoom(stored), 100);
    history.start();
    await settle();
    expect(history.total).toBe(250);
    expect(history.messages.map((m) => m.lamport)).toEqual(stored.slice(150).map((m) => m.lamport));
    expect(history.exhausted).toBe(false);
    await history.loadOlder();
    await history.loadOlder();
    expect(history.messages).toHaveLength(250);
    expect(history.messages[0]!.lamport).toBe(1);
    expect(history.exhausted).toBe(true);
  });

  it('a message arriving while the first page loads appears once, in order', async () => {
    const room = fakeRoom([message(1), message(2)], { gated: true });
    const { history } = track(room, 100);
    history.start();
    room.emit('message', message(3));
    room.emit('message', message(2));
    room.release();
    await settle();
    expect(history.messages.map((m) => m.id)).toEqual(['dev:1', 'dev:2', 'dev:3']);
  });

  it('delivery only moves forward: a late "sent" never hides "delivered"', async () => {
    const room = fakeRoom([]);
    const { history } = track(room, 100);
    history.start();
    await settle();
    history.upsert(message(1, { own: true, state: 'pending' }));
    room.emit('delivery', { id: 'dev:1', state: 'delivered' });
    room.emit('delivery', { id: 'dev:1', state: 'sent' });
    room.emit('message', message(1, { own: true, state: 'pending' }));
    expect(history.messages[0]!.state).toBe('delivered');
  });

  it('a message synced late lands in its place; one older than what is loaded waits for its page', async () => {
    const stored = [10, 20, 30].map((lamport) => message(lamport));
    const room = fakeRoom(stored);
    const { history } = track(room, 3);
    history.start();
    await settle();
    room.emit('message', message(25, { authorDevice: 'other', id: 'other:1' }));
    room.emit('message', message(5, { authorDevice: 'other', id: 'other:0' }));
    expect(history.messages.map((m) => m.lamport)).toEqual([10, 20, 25, 30]);
  });

  it('after leaving the room, late pages and events change nothing', async () => {
    const room = fakeRoom([message(1)], { gated: true });
    const { history, changes } = track(room, 100);
    history.start();
    history.stop();
    room.release();
    await settle();
    room.emit('message', message(2));
    expect(history.messages).toEqual([]);
    expect(changes()).toBe(0);
  });
});
