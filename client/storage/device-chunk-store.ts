// The one chunk store of this device's app: OPFS where the browser has it, IndexedDB
// otherwise. Shared by every room (chunks are keyed by file id and carry their room id).
import { BrowserChunkStore } from './browser-chunk-store';
import { IdbChunkBackend } from './idb-chunk-backend';
import { OpfsChunkBackend } from './opfs-chunk-backend';

let store: BrowserChunkStore | undefined;

export function deviceChunkStore(): BrowserChunkStore {
  store ??= new BrowserChunkStore(
    OpfsChunkBackend.available() ? new OpfsChunkBackend() : new IdbChunkBackend(),
  );
  return store;
}
