// Files shared with the installed app (manifest share_target, POST /share as
// multipart/form-data): kept in the 'shared-files' cache until the person opens a room and
// sends or discards them (client/ui/shared-inbox.ts reads the same cache). Only File parts
// are kept; title/text/url are ignored.
export const SHARED_FILES_CACHE = 'shared-files';
/** At most this many files per share (a share of thousands is not a person's). */
const MAX_FILES = 20;

export async function handleShare(request: Request): Promise<Response> {
  let count = 0;
  try {
    const form = await request.formData();
    const cache = await caches.open(SHARED_FILES_CACHE);
    const stamp = Date.now();
    for (const part of form.getAll('files').slice(0, MAX_FILES)) {
      if (typeof part === 'string') continue;
      const file = part as File;
      const headers = new Headers({
        'content-type': file.type || 'application/octet-stream',
        'content-length': String(file.size),
        'x-file-name': encodeURIComponent(file.name.slice(0, 255) || 'shared file'),
      });
      await cache.put(new Request(`/__shared/${stamp}-${count}`), new Response(file, { headers }));
      count++;
    }
  } catch {
    // A malformed share: open the app anyway, with nothing waiting.
  }
  return Response.redirect(count ? '/?shared=' + count : '/', 303);
}
