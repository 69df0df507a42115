// The room engine's transport (y-webrtc, yjs, simple-peer) is most of the app's JS. It is
// loaded when a room first connects, not with the shell: the home screen, the rooms list,
// history and offline writing need none of it. (The service worker precaches the chunk.)
import type { RoomSession } from '../core/room-session';
import { AppError } from './app-types';

let loading: Promise<typeof RoomSession> | null = null;

export function loadRoomSession(): Promise<typeof RoomSession> {
  loading ??= import('../core/room-session').then(
    (module) => module.RoomSession,
    () => {
      throw new AppError(
        'network',
        'The app could not load its connection code; it retries when online.',
      );
    },
  );
  // A failed load (offline before the chunk was cached) may succeed next time.
  loading.catch(() => (loading = null));
  return loading;
}
