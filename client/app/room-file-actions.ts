// The room screen's file actions over the live RoomSession (issue 6). Chunks live in the
// device's chunk store (OPFS, else IndexedDB); saving reads the verified plaintext into a
// disk-backed copy piece by piece, so a 2 GiB file never sits in the JS heap.
import type { FileView, RoomFileActions } from './app-types';
import { asAppError } from './app-errors';
import type { DeclinedFiles } from './declined-files';
import type { RoomConnection } from './room-connection';
import { deviceChunkStore } from '../storage/device-chunk-store';

/** Types shown inline as <img>: raster only (an SVG is a document, not a picture). */
const PREVIEW_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

export function isPreviewable(type: string): boolean {
  return PREVIEW_TYPES.has(type.toLowerCase());
}

export function roomFileActions(
  connection: RoomConnection,
  declined: DeclinedFiles,
  touch: () => void,
): RoomFileActions {
  /** One disk copy per complete file while the app runs (Download and preview share it). */
  const copies = new Map<string, Promise<Blob>>();
  const live = () => connection.live();
  const view = (id: string): FileView | undefined =>
    connection.connected
      ? live()
          .fileViews()
          .find((f) => f.id === id)
      : undefined;

  const copyOf = (id: string): Promise<Blob> => {
    let copy = copies.get(id);
    if (!copy) {
      const session = live();
      const file = view(id);
      copy = deviceChunkStore().plainFile(id, session.readFile(id), file?.type ?? '');
      copies.set(id, copy);
      copy.catch(() => copies.delete(id));
    }
    return copy;
  };

  return {
    view,
    send: (file) => {
      touch();
      return asAppError(() => live().sendFile(file));
    },
    fetch: (id) => {
      void declined.delete(id);
      return asAppError(() => live().fetchFile(id));
    },
    pause: (id) => asAppError(async () => live().pauseFile(id)),
    resume: (id) => asAppError(() => live().resumeFile(id)),
    cancel: (id) => {
      copies.delete(id);
      return asAppError(() => live().cancelFile(id));
    },
    track: async (messageId) => {
      if (!connection.connected) return;
      // Not knowing an old offer only leaves its card waiting: nothing to report.
      await live()
        .trackFileOffer(messageId)
        .catch(() => undefined);
    },
    maxFileBytes: () => (connection.connected ? live().maxFileBytes : undefined),
    decline: (id) => declined.add(id),
    declined: (id) => declined.has(id),
    blob: (id, purpose) =>
      asAppError(async () => {
        const copy = await copyOf(id);
        const type = purpose === 'preview' && isPreviewable(copy.type) ? copy.type : '';
        return copy.slice(0, copy.size, type || 'application/octet-stream');
      }),
  };
}
