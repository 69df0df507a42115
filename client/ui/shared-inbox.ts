// Files other apps shared with the installed app (the manifest's share_target): the
// service worker keeps them in the 'shared-files' cache (sw/share-target.ts) until the
// person picks a room and sends them, or discards them.
export const SHARED_FILES_CACHE = 'shared-files';

export interface SharedFile {
  key: string;
  name: string;
  size: number;
}

function cachesAvailable(): boolean {
  return typeof caches !== 'undefined';
}

export async function listSharedFiles(): Promise<SharedFile[]> {
  if (!cachesAvailable()) return [];
  const cache = await caches.open(SHARED_FILES_CACHE);
  const files: SharedFile[] = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (!response) continue;
    files.push({
      key: request.url,
      name: decodeURIComponent(response.headers.get('x-file-name') ?? 'shared file'),
      size: Number(response.headers.get('content-length') ?? 0),
    });
  }
  return files;
}

/** The shared file as a File (the Blob behind a cached response stays on disk). */
export async function takeSharedFile(shared: SharedFile): Promise<File | undefined> {
  const response = await (await caches.open(SHARED_FILES_CACHE)).match(shared.key);
  if (!response) return undefined;
  const blob = await response.blob();
  return new File([blob], shared.name, { type: blob.type });
}

export async function discardSharedFile(shared: SharedFile): Promise<void> {
  await (await caches.open(SHARED_FILES_CACHE)).delete(shared.key);
}
